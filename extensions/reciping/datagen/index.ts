/** Reciping's event generator: the behaviour model of spec §1 staged as in spec §2. */
export { generateEvents, GENERATE_DEFAULTS, type GenerateOptions, type GenerateStats } from './generate.js';
export { localDirectorySink, type EventSink, type SinkStats } from './sink.js';
export { bucketDirectory, stagingFileName, type StagingBucket } from './layout.js';
export { recipeMaster, recipeMasterCsv, type Recipe } from './recipes.js';
export { abGroupOf } from './users.js';
export { MALFORMED_KINDS, type MalformedKind } from './bad-input.js';
export { EVENT_NAMES, type EventName } from './model.js';
