#!/usr/bin/env bash
# Start the local lakehouse stack (PostgreSQL, MinIO, Kafka, Trino) on 127.0.0.1.
# Idempotent: installs what is missing (cached in $STACK_CACHE), starts what is not
# running, waits until every service really answers, then writes $STACK_HOME/stack.env.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# =============================================================== installs
# Maven quiet mode still prints ANSI resets; strip them so install logs stay readable.
mvn_cached() {
  mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$M2_REPO" "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
}

mvn_fetch() {   # G:A:V[:type[:classifier]] -> output dir, through the local cache repo
  mvn_cached "$MVN_DEP_PLUGIN:copy" -Dartifact="$1" -DoutputDirectory="$2" -Dmdep.overWriteIfNewer=true
}

install_postgres_server() {
  [[ -n $(pg_bin) ]] && return 0
  ((EUID == 0)) || die "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin/postgres) and we are not root: run 'apt-get install postgresql'"
  log "installing PostgreSQL server from Debian packages (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  [[ -n $(pg_bin) ]] || die "apt-get install postgresql did not provide /usr/lib/postgresql/*/bin/postgres"
}

# MinIO from source with the Go toolchain; every Go cache stays under $STACK_CACHE/go.
install_minio() {
  local stamp="$GO_ROOT_CACHE/minio.version"
  if [[ -x $MINIO_BIN && $(cat "$stamp" 2>/dev/null) == "$MINIO_VERSION" ]]; then
    return 0
  fi
  log "building MinIO $MINIO_VERSION with go install (a few minutes on 2 cores)"
  mkdir -p "$GO_ROOT_CACHE"
  GOPATH="$GO_ROOT_CACHE" GOMODCACHE="$GO_ROOT_CACHE/pkg/mod" GOBIN="$GO_ROOT_CACHE/bin" \
    GOCACHE="$GO_ROOT_CACHE/build-cache" GOFLAGS="-modcacherw ${GOFLAGS:-}" CGO_ENABLED=0 \
    go install "$MINIO_MODULE@$MINIO_VERSION"
  echo "$MINIO_VERSION" >"$stamp"
  # The compile cache (~1 GB) is only useful for rebuilding; the module download cache stays.
  rm -rf "$GO_ROOT_CACHE/build-cache"
}

# Trino server tarball plus the two connector plugins and the CLI, from Maven Central.
install_trino() {
  local tmp="$TRINO_INSTALL.partial" dl p
  if [[ ! -f $TRINO_INSTALL/.stack-installed ]]; then
    log "downloading Trino $TRINO_VERSION (server core + iceberg + hive plugins, ~800 MB)"
    rm -rf "$tmp"
    dl="$tmp/download"
    mkdir -p "$dl"
    mvn_fetch "io.trino:trino-server-core:$TRINO_VERSION:tar.gz" "$dl"
    mvn_fetch "io.trino:trino-iceberg:$TRINO_VERSION:zip" "$dl"
    mvn_fetch "io.trino:trino-hive:$TRINO_VERSION:zip" "$dl"
    tar -xzf "$dl/trino-server-core-$TRINO_VERSION.tar.gz" -C "$tmp" --strip-components=1
    # Each plugin zip holds one top folder trino-<name>-<version>/ with the jars;
    # Trino wants plugin/<name>/*.jar.
    for p in iceberg hive; do
      unzip -q "$dl/trino-$p-$TRINO_VERSION.zip" -d "$dl"
      rm -rf "$tmp/plugin/$p"
      mv "$dl/trino-$p-$TRINO_VERSION" "$tmp/plugin/$p"
    done
    rm -rf "$dl"   # the archives stay in $M2_REPO
    touch "$tmp/.stack-installed"
    rm -rf "$TRINO_INSTALL"
    mv "$tmp" "$TRINO_INSTALL"
  fi
  if [[ ! -f $TRINO_CLI_JAR ]]; then
    mvn_fetch "io.trino:trino-cli:$TRINO_VERSION:jar:executable" "$(dirname "$TRINO_CLI_JAR")"
    chmod +x "$TRINO_CLI_JAR"
  fi
}

# Kafka has no binary tarball on Maven Central: resolve the broker classpath from a generated pom.
install_kafka() {
  [[ -f $KAFKA_INSTALL/.stack-installed ]] && return 0
  log "downloading Kafka $KAFKA_VERSION and its dependencies"
  rm -rf "$KAFKA_INSTALL"
  mkdir -p "$KAFKA_INSTALL"
  KAFKA_VERSION=$KAFKA_VERSION render "$TEMPLATES/kafka/pom.xml" "$KAFKA_INSTALL/pom.xml"
  (cd "$KAFKA_INSTALL" &&
    mvn_cached "$MVN_DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory=libs)
  touch "$KAFKA_INSTALL/.stack-installed"
}

# Run one install step, logging to logs/install-<name>.log and reporting its duration.
install_step() {
  local name=$1 start=$SECONDS
  "install_$name" >"$LOG_DIR/install-$name.log" 2>&1
  log "install $name: ready ($((SECONDS - start))s)"
}

# The three downloads/builds are independent: run them side by side.
install_all() {
  local names=(minio trino kafka) pids=() i failed=0
  install_postgres_server
  mkdir -p "$LOG_DIR" "$STACK_CACHE"
  log "checking/installing ${names[*]} in $STACK_CACHE (logs: $LOG_DIR/install-*.log)"
  for i in "${!names[@]}"; do
    install_step "${names[$i]}" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      show_log_tail "$LOG_DIR/install-${names[$i]}.log"
      log "installing ${names[$i]} failed; see $LOG_DIR/install-${names[$i]}.log"
      failed=1
    fi
  done
  ((failed == 0)) || die "install step failed"
}

# ============================================================= PostgreSQL
pg_init_cluster() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  log "initialising PostgreSQL cluster in $PG_DATA"
  mkdir -p "$PG_DIR"
  if ((EUID == 0)); then
    chown postgres: "$PG_DIR"
    runuser -u postgres -- test -w "$PG_DIR" ||
      die "user postgres cannot write $PG_DIR (a parent directory is not traversable); set STACK_HOME to a path it can reach"
  fi
  local pwfile="$PG_DIR/.superuser-password"
  (umask 077 && echo "$PG_SUPERPASSWORD" >"$pwfile")
  ((EUID == 0)) && chown postgres: "$pwfile"
  as_pg "$(pg_bin)/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" --pwfile="$pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --no-locale \
    >>"$(svc_log postgres)" 2>&1
  rm -f "$pwfile"
  echo "include_if_exists = 'stack.conf'" >>"$PG_DATA/postgresql.conf"
}

start_postgres() {
  need_start postgres || return 0
  local log run_as=()
  log=$(svc_log postgres)
  touch "$log"
  if ((EUID == 0)); then
    chown postgres: "$log"   # pg_ctl appends to it as the postgres user
    run_as=(runuser -u postgres --)
  fi
  pg_init_cluster
  render "$TEMPLATES/postgres/stack.conf" "$PG_DATA/stack.conf"
  ((EUID == 0)) && chown postgres: "$PG_DATA/stack.conf"
  log "starting PostgreSQL on $STACK_HOST:$PG_PORT"
  # pg_ctl -w returns once the server accepts connections; setsid detaches it from our terminal.
  if ! setsid "${run_as[@]}" "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$log" -w -t "$STACK_TIMEOUT" start \
    >/dev/null 2>&1 </dev/null 9>&-; then
    show_log_tail "$log"
    die "PostgreSQL failed to start; see $log"
  fi
  head -n1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  save_port postgres
}

# Role, database and the Iceberg JDBC catalog tables; every statement is idempotent.
pg_bootstrap() {
  pg_admin_psql -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_USER'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')\gexec
SQL
  pg_iceberg_psql -f "$TEMPLATES/postgres/iceberg-catalog.sql" >/dev/null
  pg_verify_catalog_schema
}

# Check the columns against what Iceberg's JdbcUtil (schema V1) reads and writes.
pg_verify_catalog_schema() {
  local expected actual
  expected="iceberg_namespace_properties.catalog_name:character varying(255):NO
iceberg_namespace_properties.namespace:character varying(255):NO
iceberg_namespace_properties.property_key:character varying(255):NO
iceberg_namespace_properties.property_value:character varying(1000):YES
iceberg_tables.catalog_name:character varying(255):NO
iceberg_tables.table_namespace:character varying(255):NO
iceberg_tables.table_name:character varying(255):NO
iceberg_tables.metadata_location:character varying(1000):YES
iceberg_tables.previous_metadata_location:character varying(1000):YES
iceberg_tables.iceberg_type:character varying(5):YES"
  actual=$(pg_iceberg_psql -At -c "
    SELECT table_name || '.' || column_name || ':' || data_type
           || coalesce('(' || character_maximum_length || ')', '') || ':' || is_nullable
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name IN ('iceberg_tables', 'iceberg_namespace_properties')
    ORDER BY table_name, ordinal_position")
  [[ $actual == "$expected" ]] ||
    die "Iceberg catalog tables in database $PG_DATABASE do not match the expected JdbcCatalog schema:
$actual"
}

# ================================================================== MinIO
start_minio() {
  need_start minio || return 0
  mkdir -p "$STACK_HOME/minio/data"
  log "starting MinIO on $STACK_HOST:$S3_PORT"
  # Console disabled (MINIO_BROWSER=off) but still pinned to loopback; no update checks.
  spawn minio env MINIO_ROOT_USER="$S3_ACCESS_KEY_ID" MINIO_ROOT_PASSWORD="$S3_SECRET_ACCESS_KEY" \
    MINIO_BROWSER=off MINIO_UPDATE=off \
    "$MINIO_BIN" server --address "$STACK_HOST:$S3_PORT" --console-address "$STACK_HOST:$S3_CONSOLE_PORT" \
    "$STACK_HOME/minio/data"
}

minio_ready() { curl -fsS -o /dev/null "http://$STACK_HOST:$S3_PORT/minio/health/ready"; }

ensure_buckets() {
  local b code
  for b in "$S3_WAREHOUSE_BUCKET" "$S3_STAGING_BUCKET"; do
    s3_bucket_exists "$b" && continue
    code=$(s3_curl -o /dev/null -w '%{http_code}' -X PUT "http://$STACK_HOST:$S3_PORT/$b")
    [[ $code == 200 || $code == 409 ]] || die "creating bucket $b failed (HTTP $code)"
    s3_bucket_exists "$b" || die "bucket $b still missing after creation"
    log "created bucket s3://$b"
  done
}

# ================================================================== Kafka
start_kafka() {
  need_start kafka || return 0
  local etc="$STACK_HOME/kafka/etc" data="$STACK_HOME/kafka/data" id_file="$STACK_HOME/kafka/cluster.id"
  render "$TEMPLATES/kafka/server.properties" "$etc/server.properties"
  render "$TEMPLATES/kafka/log4j.properties" "$etc/log4j.properties"
  render "$TEMPLATES/kafka/tools-log4j.properties" "$etc/tools-log4j.properties"
  # KRaft storage must be formatted once with a cluster id; keep the id for later runs.
  if [[ ! -f $data/meta.properties ]]; then
    [[ -s $id_file ]] || kafka_tool kafka.tools.StorageTool random-uuid >"$id_file"
    log "formatting Kafka KRaft storage (cluster id $(<"$id_file"))"
    kafka_tool kafka.tools.StorageTool format --ignore-formatted \
      -t "$(<"$id_file")" -c "$etc/server.properties" >>"$(svc_log kafka)" 2>&1
  fi
  log "starting Kafka $KAFKA_VERSION on $STACK_HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  spawn kafka "$JAVA17" "-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$etc/log4j.properties" \
    -Dkafka.logs.dir="$LOG_DIR" -cp "$KAFKA_INSTALL/libs/*" kafka.Kafka "$etc/server.properties"
}

kafka_metadata_ready() {
  port_open "$KAFKA_PORT" &&
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$STACK_HOST:$KAFKA_PORT" --list
}

ensure_topic() {
  local bs="$STACK_HOST:$KAFKA_PORT" count
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --create --if-not-exists \
    --topic "$KAFKA_TOPIC" --partitions "$KAFKA_TOPIC_PARTITIONS" --replication-factor 1 >/dev/null
  count=$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --describe --topic "$KAFKA_TOPIC" |
    sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n1) || true
  if [[ -n $count ]] && ((count < KAFKA_TOPIC_PARTITIONS)); then
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --alter \
      --topic "$KAFKA_TOPIC" --partitions "$KAFKA_TOPIC_PARTITIONS"
  fi
  [[ -n $count ]] || die "topic $KAFKA_TOPIC not visible after creation; see $(svc_log kafka)"
  # Looking up a group coordinator creates __consumer_offsets now, so the first consumer
  # in a test does not start with "The group coordinator is not available" retries.
  kafka_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$bs" \
    --describe --group stack-warmup >/dev/null 2>&1 || true
}

# ================================================================== Trino
start_trino() {
  need_start trino || return 0
  local f opts=() node=()
  render "$TEMPLATES/trino/config.properties" "$TRINO_ETC/config.properties"
  render "$TEMPLATES/trino/node.properties" "$TRINO_ETC/node.properties"
  render "$TEMPLATES/trino/jvm.config" "$TRINO_ETC/jvm.config"
  render "$TEMPLATES/trino/log.properties" "$TRINO_ETC/log.properties"
  rm -f "$TRINO_ETC"/catalog/*.properties
  for f in "$TEMPLATES"/trino/catalog/*.properties; do
    render "$f" "$TRINO_ETC/catalog/$(basename "$f")"
  done
  mkdir -p "$STACK_HOME/trino/data"
  # What bin/launcher would do: JVM flags from jvm.config, node.properties as -D flags.
  mapfile -t opts < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TRINO_ETC/jvm.config")
  mapfile -t node < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TRINO_ETC/node.properties" | sed 's/^/-D/')
  log "starting Trino $TRINO_VERSION on $STACK_HOST:$TRINO_PORT (heap $TRINO_HEAP, $(basename "$(dirname "$(dirname "$JAVA_TRINO")")"))"
  spawn trino "$JAVA_TRINO" "${opts[@]}" "${node[@]}" \
    -Dconfig="$TRINO_ETC/config.properties" -Dlog.levels-file="$TRINO_ETC/log.properties" \
    -cp "$TRINO_INSTALL/lib/*" io.trino.server.TrinoServer
}

trino_started() {
  curl -fsS "http://$STACK_HOST:$TRINO_PORT/v1/info" | grep -q '"starting":false'
}

trino_answers() {
  [[ $(trino_cli --execute 'SELECT 1') == 1 ]] &&
    trino_cli --execute 'SHOW SCHEMAS FROM iceberg' | grep -qx information_schema
}

# ================================================================ env file
write_env() {
  local tmp="$ENV_FILE.tmp"
  cat >"$tmp" <<EOF
# Written by scripts/stack/up.sh on $(date -Is). Source it: . $ENV_FILE
export TRINO_URL=http://$STACK_HOST:$TRINO_PORT
export TRINO_CATALOG=iceberg
export TRINO_CLI=$TRINO_CLI_JAR
export S3_ENDPOINT=http://$STACK_HOST:$S3_PORT
export S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
export S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
export S3_REGION=$S3_REGION
export S3_WAREHOUSE_BUCKET=$S3_WAREHOUSE_BUCKET
export S3_STAGING_BUCKET=$S3_STAGING_BUCKET
export KAFKA_BROKERS=$STACK_HOST:$KAFKA_PORT
export KAFKA_TOPIC=$KAFKA_TOPIC
export PG_URL=postgresql://$PG_USER:$PG_PASSWORD@$STACK_HOST:$PG_PORT/$PG_DATABASE
EOF
  mv "$tmp" "$ENV_FILE"
}

# =================================================================== main
main() {
  local t0=$SECONDS
  check_prereqs
  acquire_lock
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  install_all

  start_postgres
  wait_ready postgres "pg_isready" "$(pg_bin)/pg_isready" -q -h "$STACK_HOST" -p "$PG_PORT"
  pg_bootstrap

  start_minio
  wait_ready minio "health/ready" minio_ready
  ensure_buckets

  # Kafka and Trino start in parallel: both are slow JVMs, only Trino needs the others.
  start_kafka
  start_trino
  wait_ready kafka "metadata via TopicCommand --list" kafka_metadata_ready
  ensure_topic
  wait_ready trino "/v1/info starting=false" trino_started
  wait_ready trino "SELECT 1 and SHOW SCHEMAS FROM iceberg" trino_answers

  write_env
  log "stack is up in $((SECONDS - t0))s; env: $ENV_FILE"
  "$STACK_SCRIPTS/status.sh" || true
}

main "$@"
