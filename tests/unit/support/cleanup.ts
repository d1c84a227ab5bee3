import { afterAll } from 'vitest';
import { removeTempDirs } from './project.js';

// Setup file of both suites: throw-away projects go when their test file ends.
afterAll(removeTempDirs);
