/** dashboards/*.yml: panels a generic engine renders; a bad declaration is one line naming file:line and the key. */
import { describe, expect, it } from 'vitest';
import { loadPanels } from '../../../framework/docs/dashboard/declaration.js';
import { cli, tempProject } from '../support/project.js';

const panels = (yaml: string) => loadPanels(tempProject({ 'dashboards/main.yml': yaml }), 'dashboards');
const error = (yaml: string) => {
  try {
    panels(yaml);
  } catch (e) {
    return (e as { format(): string }).format();
  }
  throw new Error('expected a configuration error');
};

describe('dashboard declarations', () => {
  it('reads panels in file order, then file name order', () => {
    const root = tempProject({
      'dashboards/b.yml': 'panels:\n  - {id: c, title: C, model: m, chart: stats, stats: [{label: Rows, column: n, format: number}]}\n',
      'dashboards/a.yml': 'panels:\n  - {id: a, title: A, model: m, chart: line, x: d, y: v}\n  - {id: b, title: B, model: m, chart: pie, category: k, value: v, where: {dimension: total}}\n',
    });
    expect(loadPanels(root, 'dashboards').map((p) => [p.id, p.chart])).toEqual([['a', 'line'], ['b', 'pie'], ['c', 'stats']]);
    expect(loadPanels(root, 'none')).toEqual([]);
  });

  it('names an unknown chart kind with a suggestion', () =>
    expect(error('panels:\n  - {id: a, title: A, model: m, chart: lines, x: d, y: v}\n')).toMatch(/^dashboards\/main.yml:2:40: key "panels\[0\].chart" must be equal to one of the allowed values\n {2}did you mean "line"/));

  it('names the column a kind needs and does not have', () =>
    expect(error('panels:\n  - id: a\n    title: A\n    model: m\n    chart: line\n    x: d\n')).toContain('dashboards/main.yml:2:5: missing required key "y" in key "panels[0]"'));

  it('refuses a key the kind does not take, listing the ones it does', () =>
    expect(error('panels:\n  - id: a\n    title: A\n    model: m\n    chart: line\n    x: d\n    y: v\n    value: w\n')).toBe(
      'dashboards/main.yml:8:5: unknown key "value" for a line panel\n  allowed keys: id, title, model, chart, where, x, y, name',
    ));

  it('refuses a panel id used twice', () =>
    expect(error('panels:\n  - {id: a, title: A, model: m, chart: line, x: d, y: v}\n  - {id: a, title: B, model: m, chart: line, x: d, y: v}\n')).toBe(
      'dashboards/main.yml:3:10: panel id "a" is used twice',
    ));

  it('makes `framework dashboard` say where panels go when the project declares none (exit 2)', async () => {
    const result = await cli(tempProject({ 'models/m.sql': 'select 1 as n' }), 'dashboard');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no dashboard panels: declare them in dashboards/*.yml');
  });
});
