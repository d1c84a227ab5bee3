import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, readSchema, SCHEMA_NAMES } from './validate.js';

/**
 * CommonJS source of every schema's validator: the code ajv.compile would build, written once by the
 * build; `built` adds schemas built in code, by the name validateWith looks them up by.
 */
export function standaloneValidators(built: Record<string, object> = {}): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const schemas: Record<string, object> = {
    ...Object.fromEntries(SCHEMA_NAMES.map((name) => [name, readSchema(name)])),
    ...built,
  };
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
  // A CommonJS module: its default export is `module.exports`, the function is its `default`.
  return standalone.default(ajv, Object.fromEntries(Object.keys(schemas).map((name) => [name, name])));
}
