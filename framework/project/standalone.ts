import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, readSchema, SCHEMA_NAMES } from './validate.js';

/** CommonJS source of every schema's validator: the code ajv.compile would build, written once by the build. */
export function standaloneValidators(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  for (const name of SCHEMA_NAMES) ajv.addSchema(readSchema(name), name);
  // A CommonJS module: its default export is `module.exports`, the function is its `default`.
  return standalone.default(ajv, Object.fromEntries(SCHEMA_NAMES.map((name) => [name, name])));
}
