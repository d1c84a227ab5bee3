import type { DataTests } from '../execute/data-tests.js';
import { runTest } from './run-test.js';
import { describeScope, lastBuilds, testScope } from './scope.js';

/** The data tests a run executes (execute/data-tests.ts). */
export const dataTests: DataTests = { run: runTest, lastBuilds, scope: testScope, describeScope };
