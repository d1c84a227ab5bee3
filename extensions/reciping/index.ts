/** Reciping's project extension (project.yml extensions:): its event generator. */
import type { ProjectExtension } from '../../framework/cli/extensions.js';
import { eventsGenerator } from './generate-events.js';

export const generators: ProjectExtension['generators'] = { events: eventsGenerator };
