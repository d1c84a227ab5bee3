import { join, relative } from 'node:path';
import { ConfigError } from '../../errors.js';
import { writeText } from '../../execute/artifacts.js';
import { readDashboard } from '../../docs/dashboard/data.js';
import { loadPanels } from '../../docs/dashboard/declaration.js';
import { renderDashboard } from '../../docs/dashboard/page.js';
import type { ParsedArgs } from '../args.js';
import { reporter, session } from '../common.js';

/** target/dashboard/index.html from the panels of dashboards/*.yml; a missing model blanks its panel, not the page. */
export async function dashboardCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const { root, paths } = s.project.file;
  const panels = loadPanels(root, paths.dashboards);
  if (!panels.length)
    throw new ConfigError(
      `no dashboard panels: declare them in ${paths.dashboards}/*.yml (panels: [{id, title, model, chart, …}])`,
    );
  try {
    await s.adapter.connect();
    const data = await readDashboard(s, panels);
    const path = join(s.targetDir, 'dashboard', 'index.html');
    writeText(path, renderDashboard(data));
    const blank = data.panels.filter((p) => p.status !== 'ok');
    for (const p of blank) out.error(`panel "${p.title}": ${p.message}`);
    out.info(
      `Dashboard written to ${relative(s.project.file.root, path)}: ${data.panels.length - blank.length} of ${data.panels.length} panels with data`,
    );
    return 0;
  } finally {
    await s.adapter.close();
  }
}
