import type { EChartsOption } from 'echarts';
import type { Session } from '../../execute/session.js';
import { panelView, type Row } from './charts.js';
import type { Panel } from './declaration.js';

/** What one panel shows: a chart, a few figures, or why there is nothing. */
export interface PanelData {
  id: string;
  title: string;
  model: string;
  status: 'ok' | 'missing' | 'empty' | 'error';
  message?: string;
  option?: EChartsOption;
  stats?: { label: string; value: string }[];
}

export interface DashboardData {
  project: string;
  target: { name: string; type: string };
  generatedAt: string;
  panels: PanelData[];
}

type ModelRows = { rows: Row[] } | { missing: string } | { error: string };

/** Analytics outputs are small; the cap only keeps a mis-pointed panel from embedding a whole fact table. */
const MAX_ROWS = 50_000;

/** Query each model the panels name (once each, through the adapter) and build the panels. */
export async function readDashboard(session: Session, panels: Panel[]): Promise<DashboardData> {
  const { adapter, manifest } = session;
  const reads = new Map<string, Promise<ModelRows>>();
  const read = async (model: string): Promise<ModelRows> => {
    const node = Object.values(manifest.nodes).find((n) => n.resourceType === 'model' && n.name === model);
    if (!node || node.resourceType !== 'model') return { missing: `model ${model} is not in the project` };
    if (node.config.materialized === 'ephemeral')
      return { missing: `model ${model} is ephemeral: there is no relation to read` };
    if (!(await adapter.introspector.relationType(node.relation))) return { missing: `model ${model} not built` };
    try {
      return {
        rows: (
          await adapter.query(
            adapter.dialect.limit(adapter.dialect.selectAll(adapter.dialect.relation(node.relation)), MAX_ROWS),
          )
        ).rows,
      };
    } catch (error) {
      return { error: `querying ${model} failed: ${(error as Error).message}` };
    }
  };
  const results = await Promise.all(
    panels.map(async (panel): Promise<PanelData> => {
      if (!reads.has(panel.model)) reads.set(panel.model, read(panel.model));
      const result = await reads.get(panel.model)!;
      const base = { id: panel.id, title: panel.title, model: panel.model };
      if ('missing' in result) return { ...base, status: 'missing', message: result.missing };
      if ('error' in result) return { ...base, status: 'error', message: result.error };
      if (!result.rows.length) return { ...base, status: 'empty', message: `model ${panel.model} returned no rows` };
      try {
        return { ...base, status: 'ok', ...panelView(panel, result.rows) };
      } catch (error) {
        return { ...base, status: 'error', message: `cannot chart ${panel.model}: ${(error as Error).message}` };
      }
    }),
  );
  return {
    project: manifest.metadata.project,
    target: manifest.metadata.target,
    generatedAt: new Date().toISOString(),
    panels: results,
  };
}
