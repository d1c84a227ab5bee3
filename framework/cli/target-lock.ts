import { describeHolder } from '../execute/lease.js';
import { acquireRunLocks, runLocks, type Release } from '../execute/run-lock.js';
import type { Session } from '../execute/session.js';
import type { Reporter } from './output.js';

/**
 * The target's run lock for a command that writes it (run, build, maintain): one at a time per
 * target, across hosts (execute/run-lock.ts). A dead holder's statements are settled before this
 * command looks at the tables; `onLost` is called when another run may hold the lock now.
 */
export function lockTarget(
  s: Session,
  out: Reporter,
  command: string,
  wait: boolean,
  onLost: (message: string) => void,
): Promise<Release> {
  return acquireRunLocks(
    runLocks(s.targetDir, s.project.target.name, s.adapter),
    `framework ${command}`,
    s.adapter.sessionTag,
    {
      wait,
      // Trino keeps running what a killed run sent: let it end before this run looks at the tables.
      onTakeover: async (dead, why) => {
        if (why) out.info(`taking the run lock over from ${describeHolder(dead)}: ${why}`);
        if (!dead.tag || !s.adapter.settle) return;
        const left = await s.adapter.settle(dead.tag);
        if (left.length)
          out.info(
            `run ${dead.pid} ("${dead.command}", ${dead.started}) died leaving ${left.length} statement(s) on the engine: stopped or waited for (${left.join(', ')})`,
          );
      },
      onLost,
    },
  );
}
