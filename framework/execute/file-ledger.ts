// run-new-files.ts moves onto state/ on another branch of issue 20; until then it imports from here.
export type { FileLedger, LoadedFile } from '../state/file-ledger.js';
