import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A synthetic project of `models` models for compile/ls benchmarks: chains of 10 and fan-outs, every
 * model using ref, source, var and a macro; YAML docs with tests on every tenth model.
 */
export function generateProject(dir: string, models: number): string {
  rmSync(dir, { recursive: true, force: true });
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('project.yml', `name: bench\nvars:\n  min_id: 0\nmodels:\n  +materialized: view\n  group_0:\n    +tags: [first]\n`);
  write('profiles.yml', 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: target/dev.duckdb}\n');
  write('sources/raw.yml', 'sources:\n  - name: raw\n    tables:\n' + Array.from({ length: 10 }, (_, i) => `      - name: t${i}\n`).join(''));
  write('macros/add_one.sql', '{{!-- args: expr --}}\n({{expr}} + 1)');
  const yaml: string[] = [];
  for (let i = 0; i < models; i++) {
    const group = Math.floor(i / 100);
    const name = `m_${i}`;
    // Chains of ten inside each group; the first of each chain fans out from the group's hub.
    const parent = i % 10 === 0 ? (i % 100 === 0 ? undefined : `m_${i - (i % 100)}`) : `m_${i - 1}`;
    const from = parent ? `{{ref "${parent}"}}` : `{{source "raw" "t${group % 10}"}}`;
    write(
      `models/group_${group}/${name}.sql`,
      `select id, {{add_one "value"}} as value, '${name}' as model\nfrom ${from}\nwhere id > {{var "min_id"}}\n`,
    );
    if (i % 10 === 0) yaml.push(`  - name: ${name}\n    description: model ${i}\n    columns:\n      - name: id\n        tests: [not_null]\n`);
  }
  write('models/schema.yml', `models:\n${yaml.join('')}`);
  return dir;
}
