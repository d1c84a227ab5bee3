#!/usr/bin/env bash
# End-to-end check of a running stack: Iceberg DDL/DML/MERGE/CTAS/metadata tables through
# Trino, a Hive external table over JSON lines in the staging bucket, and a kafkajs round trip.
# Creates and then drops its own objects (iceberg.smoke, hive.staging_smoke, s3://<staging>/test/).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAVA17=$(find_java17) || die "java 17-21 not found"
[[ -f $ENV_FILE ]] || die "$ENV_FILE missing: run scripts/stack/up.sh first"
# shellcheck disable=SC1090
source "$ENV_FILE"

sql() {
  log "SQL: $1"
  trino_cli --execute "$1"
}

expect() {   # expect "<expected output>" "<sql>"
  local got
  got=$(sql "$2")
  [[ $got == "$1" ]] || die "unexpected result for: $2
expected:
$1
got:
$got"
  printf '%s\n' "$got"
}

cleanup() {
  trino_cli --execute 'DROP TABLE IF EXISTS iceberg.smoke.t' >/dev/null 2>&1 || true
  trino_cli --execute 'DROP TABLE IF EXISTS iceberg.smoke.t2' >/dev/null 2>&1 || true
  trino_cli --execute 'DROP SCHEMA IF EXISTS iceberg.smoke' >/dev/null 2>&1 || true
  trino_cli --execute 'DROP TABLE IF EXISTS hive.staging_smoke.t' >/dev/null 2>&1 || true
  trino_cli --execute 'DROP SCHEMA IF EXISTS hive.staging_smoke' >/dev/null 2>&1 || true
  s3_curl -o /dev/null -X DELETE "$S3_ENDPOINT/$S3_STAGING_BUCKET/test/x.json" || true
}

iceberg_smoke() {
  sql "CREATE SCHEMA iceberg.smoke WITH (location = 's3://$S3_WAREHOUSE_BUCKET/smoke')"
  sql "CREATE TABLE iceberg.smoke.t (id bigint, name varchar, ts timestamp(6))"
  sql "INSERT INTO iceberg.smoke.t VALUES (1, 'a', TIMESTAMP '2024-01-01 00:00:00'), (2, 'b', TIMESTAMP '2024-01-02 00:00:00')"
  sql "MERGE INTO iceberg.smoke.t t USING (VALUES (2, 'b2'), (3, 'c')) AS s(id, name) ON t.id = s.id
       WHEN MATCHED THEN UPDATE SET name = s.name
       WHEN NOT MATCHED THEN INSERT (id, name, ts) VALUES (s.id, s.name, TIMESTAMP '2024-01-03 00:00:00')"
  expect $'1\ta\n2\tb2\n3\tc' "SELECT id, name FROM iceberg.smoke.t ORDER BY id"
  sql "CREATE OR REPLACE TABLE iceberg.smoke.t2 AS SELECT id, upper(name) AS name FROM iceberg.smoke.t"
  sql "CREATE OR REPLACE TABLE iceberg.smoke.t2 AS SELECT id, name || '!' AS name FROM iceberg.smoke.t WHERE id > 1"
  expect $'2\tb2!\n3\tc!' "SELECT id, name FROM iceberg.smoke.t2 ORDER BY id"
  expect $'3' "SELECT count(*) FROM iceberg.smoke.\"t\$snapshots\""
  sql "SELECT snapshot_id, operation FROM iceberg.smoke.\"t\$snapshots\" ORDER BY committed_at"
  # The JDBC catalog rows really are in PostgreSQL.
  pg_iceberg_psql -At -c "SELECT catalog_name, table_namespace, table_name, iceberg_type FROM iceberg_tables ORDER BY 3"
}

hive_smoke() {
  local file code
  file=$(mktemp)
  printf '%s\n' '{"event":"view","user":"u1","n":1}' '{"event":"click","user":"u2","n":2}' '{"event":"view","user":"u3","n":3}' >"$file"
  code=$(s3_curl -o /dev/null -w '%{http_code}' -T "$file" "$S3_ENDPOINT/$S3_STAGING_BUCKET/test/x.json")
  rm -f "$file"
  [[ $code == 200 ]] || die "upload to s3://$S3_STAGING_BUCKET/test/x.json failed (HTTP $code)"
  sql "CREATE SCHEMA hive.staging_smoke WITH (location = 's3://$S3_WAREHOUSE_BUCKET/hive/staging_smoke')"
  # TEXTFILE splits on \\001 by default, which JSON never contains: one line = one varchar.
  sql "CREATE TABLE hive.staging_smoke.t (line varchar) WITH (external_location = 's3://$S3_STAGING_BUCKET/test/', format = 'TEXTFILE')"
  expect '3' "SELECT count(*) FROM hive.staging_smoke.t"
  expect $'view\t2\nclick\t1' "SELECT json_extract_scalar(line, '\$.event') AS e, count(*) FROM hive.staging_smoke.t GROUP BY 1 ORDER BY 2 DESC"
}

kafka_smoke() {
  local node_path=""
  # Use the repo's kafkajs when installed, else a cached copy of the pinned version.
  if ! (cd "$STACK_SCRIPTS" && node -e "require('kafkajs')" 2>/dev/null); then
    mkdir -p "$STACK_CACHE/node"
    [[ -d $STACK_CACHE/node/node_modules/kafkajs ]] ||
      npm install --silent --prefix "$STACK_CACHE/node" kafkajs@2.2.4 >/dev/null
    node_path="$STACK_CACHE/node/node_modules"
  fi
  KAFKAJS_NO_PARTITIONER_WARNING=1 NODE_PATH=$node_path KAFKA_BROKERS=$KAFKA_BROKERS KAFKA_TOPIC=$KAFKA_TOPIC node "$STACK_SCRIPTS/kafkajs-smoke.cjs"
}

main() {
  cleanup
  trap cleanup EXIT
  iceberg_smoke
  hive_smoke
  kafka_smoke
  log "smoke test passed"
}

main "$@"
