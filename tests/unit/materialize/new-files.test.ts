import { describe, expect, it } from 'vitest';
import { newFiles, type FilesPlan, type FilesState } from '../../../framework/materialize/new-files.js';
import type { LoadedFile } from '../../../framework/state/file-ledger.js';
import { engine, externalSource, model } from './fixtures.js';

const file = (path: string, size = 10) => ({ path, size, modifiedAt: new Date('2025-09-01T00:00:00Z') });
const node = () => model({ materialized: 'incremental', incremental_strategy: 'new_files', file_column: 'source_file' }, { dependsOn: ['source.p.raw.lines'] });
const state = (fields: Partial<FilesState>): FilesState => ({
  source: externalSource(),
  exists: true,
  rebuild: false,
  loaded: new Map(),
  listed: [],
  discovery: { listing: 'full', objects_listed: 0, list_calls: 1, ledger_files_read: 0 },
  present: new Map(),
  ...fields,
});

describe('new_files plan', () => {
  it('loads the files the ledger does not know, records those an interrupted run loaded, and reports changed ones', () => {
    const loaded = new Map<string, LoadedFile>([['a', { ...file('a'), rows: 3 }], ['b', { ...file('b'), rows: 2 }]]);
    const plan = newFiles.plan(node(), state({ loaded, listed: [file('a'), file('b', 20), file('c'), file('d')], present: new Map([['c', 4]]) }), engine) as FilesPlan;
    expect(plan.changed.map((f) => f.path)).toEqual(['b']);
    expect(plan.repaired).toEqual([{ ...file('c'), rows: 4 }]);
    expect(plan.slices).toEqual([[file('d')]]);
    expect(plan.fresh).toBe(1);
  });

  it('a model with no table and no files is a config error naming the location', () => {
    expect(() => newFiles.plan(node(), state({ exists: false, rebuild: true }), engine)).toThrow('no files at staging/**/*.json to build it from');
  });

  it('validate: file_column and exactly one external source', () => {
    const nodes = { 'source.p.raw.lines': externalSource() };
    expect(() => newFiles.validate!(node(), { nodes, byName: new Map(), upstream: () => new Set() })).not.toThrow();
    expect(() => newFiles.validate!(model({ materialized: 'incremental', incremental_strategy: 'new_files' }), { nodes, byName: new Map(), upstream: () => new Set() })).toThrow('no file_column');
    expect(() => newFiles.validate!(model({ materialized: 'incremental', incremental_strategy: 'new_files', file_column: 'f' }), { nodes, byName: new Map(), upstream: () => new Set() })).toThrow('it reads 0');
  });

  it('a config error points at the config that set it', () => {
    const at = { file: 'models/m.sql', line: 1, column: 3 };
    const node = model({ materialized: 'incremental', incremental_strategy: 'new_files' }, { configOrigin: at });
    expect(() => newFiles.validate!(node, { nodes: {}, byName: new Map(), upstream: () => new Set() })).toThrow(expect.objectContaining({ position: at }));
  });
});
