import type { ServiceDef } from '../project/types.js';
import { serviceText } from './units.js';

export interface ServiceUnit {
  /** The template's name: instance i runs as `<name>@i.service`. */
  name: string;
  /** `<name>@.service` */
  file: string;
  text: string;
  instances: string[];
}

/** Time a stopping consumer gets to flush its open files and commit (kafka-staging waits ≤ 30 s for its flush markers) before systemd kills it. */
const STOP_TIMEOUT_S = 90;

/**
 * A long-running service (`framework ingest kafka`) as a systemd template unit, one instance per
 * consumer of the group (`--instance %i` names its status file). Restart=always brings a crashed
 * consumer back; KillMode=mixed sends SIGTERM to the main process only, which flushes and commits,
 * and kills what is left once TimeoutStopSec runs out: records not committed are read again.
 */
export function renderService(
  project: { name: string; root: string },
  service: ServiceDef,
  runtime: { node: string; cli: string },
): ServiceUnit {
  const name = `framework-${project.name}-${service.name}`;
  const args = [
    runtime.node,
    runtime.cli,
    ...service.command.split(' '),
    '--project-dir',
    project.root,
    '--instance',
    '%i',
    ...(service.args ?? []),
  ];
  const text = serviceText({
    name,
    description: `framework ${service.command} of ${project.name} (${service.name}, instance %i)`,
    root: project.root,
    type: 'exec',
    environmentFile: service.environment_file,
    args,
    policy: [
      'Restart=always',
      'RestartSec=5',
      'KillSignal=SIGTERM',
      'KillMode=mixed',
      `TimeoutStopSec=${STOP_TIMEOUT_S}`,
    ],
    wantedBy: 'default.target',
  });
  const instances = Array.from({ length: service.instances ?? 1 }, (_, i) => String(i + 1));
  return { name, file: `${name}@.service`, text, instances };
}
