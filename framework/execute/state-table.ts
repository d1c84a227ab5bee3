// interval-state.ts moves onto state/ on another branch of issue 20; until then it imports from here.
export { StateTable } from '../state/state-table.js';
