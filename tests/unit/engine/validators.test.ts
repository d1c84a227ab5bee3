import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { standaloneValidators } from '../../../framework/project/standalone.js';
import { AJV_OPTIONS, readSchema, SCHEMA_NAMES, type SchemaName } from '../../../framework/project/validate.js';
import { targetSchema, targetSchemaName } from '../../../framework/project/profiles.js';
import { ENGINES } from '../../../framework/adapters/registry.js';

// The build's standalone validators (dist/) must judge every document as ajv.compile does from source.
const root = join(import.meta.dirname, '../../..');
const yaml = (path: string) => parse(readFileSync(join(root, path), 'utf8')) as unknown;
const ymlFiles = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yml'))
    .map((f) => yaml(join(dir, f)));

function precompiled(built: Record<string, object> = {}): Record<string, ValidateFunction> {
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('module', 'exports', 'require', standaloneValidators(built))(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}

/** The document, then one variant per value: an unknown key in each object, a wrongly typed value elsewhere. */
function variants(doc: unknown): unknown[] {
  const out: unknown[] = [doc];
  const visit = (value: unknown, replace: (v: unknown) => unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, (v) => replace(value.map((x, j) => (j === i ? v : x)))));
      out.push(replace({ not: 'a list' }));
    } else if (value && typeof value === 'object') {
      out.push(replace({ ...value, bogus_key: 1 }));
      for (const [key, item] of Object.entries(value)) {
        visit(item, (v) => replace({ ...value, [key]: v }));
        const { [key]: _, ...rest } = value as Record<string, unknown>;
        out.push(replace(rest));
      }
    } else {
      out.push(replace(typeof value === 'string' ? 12 : 'not-a-value'), replace([value]));
    }
  };
  visit(doc, (v) => v);
  return out;
}

describe('standalone schema validators', () => {
  it('give the results and errors ajv.compile gives, on the project files and variants of them', () => {
    const fast = precompiled();
    const ajv = new Ajv(AJV_OPTIONS);
    const models = [...ymlFiles('models'), ...ymlFiles('sources'), ...ymlFiles('seeds')];
    const documents: Record<SchemaName, unknown[]> = {
      project: [yaml('project.yml')],
      profiles: [yaml('profiles.yml')],
      selectors: [yaml('selectors.yml')],
      dashboard: [yaml('dashboards/reciping.yml')],
      properties: models,
      config: [{ materialized: 'incremental', unique_key: ['a'], tags: ['x'], partition_by: ['d'] }, ...models.flatMap((doc) => ((doc as { models?: { config?: unknown }[] }).models ?? []).flatMap((m) => (m.config ? [m.config] : [])))],
    };
    let invalid = 0;
    for (const name of SCHEMA_NAMES) {
      const compiled = ajv.compile(readSchema(name));
      for (const doc of documents[name].flatMap(variants)) {
        const valid = compiled(doc);
        expect(fast[name](doc), name).toBe(valid);
        expect(fast[name].errors, name).toEqual(compiled.errors);
        if (!valid) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(500);
  });

  it("judge each engine's target settings (schemas built from the registry) as ajv.compile does", () => {
    const built = Object.fromEntries([...ENGINES.values()].map((engine) => [targetSchemaName(engine.name), targetSchema(engine)]));
    const fast = precompiled(built);
    const ajv = new Ajv(AJV_OPTIONS);
    const targets = Object.values((yaml('profiles.yml') as { targets: Record<string, { type: string }> }).targets);
    expect(new Set(targets.map((t) => t.type))).toEqual(new Set(ENGINES.keys()));
    let invalid = 0;
    for (const target of targets) {
      const name = targetSchemaName(target.type);
      const compiled = ajv.compile(built[name]!);
      for (const doc of variants(target)) {
        const valid = compiled(doc);
        expect(fast[name]!(doc), name).toBe(valid);
        expect(fast[name]!.errors, name).toEqual(compiled.errors);
        if (!valid) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(20);
  });
});
