import type { Audit } from '../materialize/audit.js';
import { strategyFor } from '../materialize/strategies.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { builtParents } from './built-parents.js';
import { countTogether, type CountMember } from './count-batch.js';
import type { NodeResult } from './results.js';
import type { Session } from './session.js';

/**
 * Write–audit–publish in `build`: which tests run on each model's new data before it is published,
 * and the other nodes those tests read (a relationships test's `to`), which the model waits for.
 */
export interface AuditPlan {
  tests: Map<string, string[]>;
  after: Map<string, string[]>;
}

/**
 * A model whose strategy writes a table (table, incremental, interval, new_files; unless `audit:
 * after`) is audited with the scheduled tests attached to it (generic) or reading only it
 * (singular), whose other inputs come earlier in the run's order: waiting for those never makes a
 * cycle. Other tests run after publishing, as before.
 */
export function planAudits(session: Session, ids: string[]): AuditPlan {
  const { manifest, graph } = session;
  const position = new Map(ids.map((id, i) => [id, i]));
  const plan: AuditPlan = { tests: new Map(), after: new Map() };
  for (const id of ids) {
    const node = manifest.nodes[id]!;
    if (node.resourceType !== 'model' || !strategyFor(node).writesTable || node.config.audit === 'after') continue;
    const tests: string[] = [];
    const after = new Set<string>();
    for (const t of graph.children.get(id) ?? []) {
      const test = manifest.nodes[t]!;
      if (test.resourceType !== 'test' || !position.has(t)) continue;
      const others = builtParents(session, t).filter((p) => p !== id);
      const attached = 'attachedTo' in test ? test.attachedTo === id : others.length === 0;
      if (!attached || others.some((p) => position.has(p) && position.get(p)! > position.get(id)!)) continue;
      tests.push(t);
      for (const p of others) if (position.has(p)) after.add(p);
    }
    if (tests.length) {
      plan.tests.set(id, tests);
      plan.after.set(id, [...after]);
    }
  }
  return plan;
}

/** A model's audit found a blocking test: nothing was published. */
export class AuditFailed extends Error {}

export interface AuditRunner {
  /**
   * Run one test with `standIn` for the model under audit (failing rows stored beside the staged
   * ones), counting its rows with `count`; the result is what the test node reports.
   */
  runTest(
    test: CompiledNode,
    standIn: { id: string; sql: string; relation: Audit['relation'] },
    count: CountMember['count'],
  ): Promise<NodeResult>;
  /** Whether a node of this run has finished successfully (a test reading it may then be audited). */
  succeeded(id: string): boolean;
  /** Outcomes of audited tests, by test id. */
  outcomes: Map<string, NodeResult>;
}

/**
 * The audit of one model: its tests on the staged data; any error or error-severity failure blocks
 * publishing. Its audit schema is `<the model's schema>_audit`, so projects (and copies of one)
 * that write different schemas never share staged tables.
 */
export function auditOf(
  session: Session,
  model: CompiledNode & ModelNode,
  tests: string[],
  runner: AuditRunner,
): Audit {
  const relation = { schema: `${model.relation.schema}_audit`, name: `${model.relation.name}__audit` };
  return {
    relation,
    async check(tested) {
      // An input the test also reads failed or was skipped: the test is left to the run (which skips it).
      const ready = tests.filter((t) =>
        builtParents(session, t).every((p) => p === model.uniqueId || runner.succeeded(p)),
      );
      // Their row counts are one query; the few that fail look up samples on their own.
      const standIn = { id: model.uniqueId, sql: tested, relation };
      await Promise.all(
        countTogether(session.adapter, ready, async (t, count) =>
          runner.outcomes.set(t, await runner.runTest(session.manifest.nodes[t]!, standIn, count)),
        ),
      );
      const blocking = ready
        .filter((t) => ['fail', 'error'].includes(runner.outcomes.get(t)!.status))
        .map((t) => `${session.manifest.nodes[t]!.name} (${runner.outcomes.get(t)!.message.split('\n')[0]})`);
      if (blocking.length) {
        const where = session.adapter.dialect.relation(relation);
        throw new AuditFailed(
          `not published: ${blocking.length === 1 ? 'test' : 'tests'} ${blocking.join(', ')} failed on its new data, which stays in ${where}`,
        );
      }
    },
  };
}
