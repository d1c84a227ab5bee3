/**
 * The project's dashboard, declared in dashboards/*.yml: each panel names the model it reads
 * (`select *`), a chart kind and the columns the kind needs. Files are read in name order.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { didYouMean } from '../../project/suggest.js';
import { validate } from '../../project/validate.js';
import { readYaml } from '../../project/yaml-file.js';

export type ChartKind = 'line' | 'pie' | 'bar' | 'heatmap' | 'funnel' | 'ranking' | 'combo' | 'stats';

export interface Series {
  column: string;
  name: string;
  type?: 'bar' | 'line';
  axis?: 'left' | 'right';
}

/** One panel as declared; which optional keys are set depends on `chart` (dashboard.schema.json). */
export interface Panel {
  id: string;
  title: string;
  model: string;
  chart: ChartKind;
  where?: Record<string, string | number | boolean>;
  x?: string;
  y?: string;
  name?: string;
  category?: string;
  categories?: (string | number)[];
  value?: string;
  series?: Series[];
  x_values?: (string | number)[];
  y_values?: (string | number)[];
  stage?: string;
  order?: string;
  label?: string[];
  axes?: string[];
  stats?: { label: string; column: string; format?: 'number' }[];
}

const COMMON = ['id', 'title', 'model', 'chart', 'where'];
/** The keys each kind takes besides the common ones (the schema checks what is required). */
const KEYS: Record<ChartKind, string[]> = {
  line: ['x', 'y', 'name'],
  pie: ['category', 'value'],
  bar: ['category', 'series'],
  heatmap: ['x', 'y', 'value', 'x_values', 'y_values'],
  funnel: ['stage', 'value', 'order'],
  ranking: ['label', 'value', 'order'],
  combo: ['category', 'categories', 'axes', 'series'],
  stats: ['stats'],
};

/** Every panel of the project's dashboards folder; none when there is no such folder. */
export function loadPanels(root: string, folder: string): Panel[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  const panels: Panel[] = [];
  const ids = new Set<string>();
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = readYaml(join(dir, name), `${folder}/${name}`);
    validate('dashboard', file);
    for (const [i, panel] of ((file.data as { panels: Panel[] }).panels ?? []).entries()) {
      const allowed = [...COMMON, ...KEYS[panel.chart]];
      for (const key of Object.keys(panel)) {
        if (allowed.includes(key)) continue;
        throw new ConfigError(
          `unknown key "${key}" for a ${panel.chart} panel`,
          file.locate(['panels', i, key], true),
          didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`,
        );
      }
      if (ids.has(panel.id))
        throw new ConfigError(`panel id "${panel.id}" is used twice`, file.locate(['panels', i, 'id']));
      ids.add(panel.id);
      panels.push(panel);
    }
  }
  return panels;
}
