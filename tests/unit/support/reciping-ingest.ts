/** The shipped project's ingest: block (15-minute KST buckets), read from its project.yml. */
import { fileURLToPath } from 'node:url';
import { ingestConfig } from '../../../framework/project/ingest.js';
import { readProjectYaml } from '../../../framework/project/load.js';

export const RECIPING_INGEST = ingestConfig(readProjectYaml(fileURLToPath(new URL('../../..', import.meta.url))));
