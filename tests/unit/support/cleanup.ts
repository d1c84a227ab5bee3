import { afterAll } from 'vitest';
import { removeTempProjects } from './project.js';

// Setup file of the unit suite: throw-away projects go when their test file ends.
afterAll(removeTempProjects);
