import type { EngineSettingsSchema } from '../../project/engine.js';

/** A Trino target's keys in profiles.yml. */
export const trinoSettings: EngineSettingsSchema = {
  required: ['host', 'catalog'],
  properties: {
    host: { type: 'string', description: 'http(s)://host:port' },
    catalog: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string', description: 'basic auth; only from {{ env_var }}' },
    jwt: { type: 'string', description: 'bearer token; only from {{ env_var }}' },
    session_properties: { type: 'object' },
    retries: { type: 'integer', minimum: 0 },
    ssl_verify: { type: 'boolean' },
    location_root: { type: 'string', description: 'schemas are created WITH (location = <location_root>/<schema>)' },
    staging: { type: 'object', description: 'Hive catalog and S3 settings used to read staging files' },
    run_lock: {
      type: 'object',
      additionalProperties: false,
      description: 'the run lock every host sees, an S3 object with a lease (docs/run-lock.md)',
      properties: {
        location: {
          type: 'string',
          description: 's3://bucket/key of the lock; default <location_root>/_framework/locks/<catalog>/<schema>.json',
        },
        lease_seconds: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'a holder that does not renew for this long loses the lock (default 60)',
        },
        heartbeat_seconds: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'how often the holder renews (default min(15, lease/4)); at most half the lease',
        },
      },
    },
  },
};
