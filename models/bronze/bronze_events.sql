{{!--
  Bronze: the raw ledger. One row per staged line, exactly as received, with the file it came
  from and when it was loaded. incremental_strategy new_files: each run lists the staging area,
  reads only the files the framework's file ledger (framework_state.loaded_files) has not seen, and
  appends their lines, so every staged file is loaded exactly once and bronze is never rewritten.
  staging_interval_utc is the 15-minute staging bucket the file's path names (spec §2: by event
  time in KST), as UTC: the interval silver, quarantine and the fact process the line in.
--}}
select
  s.line as raw_event_string,
  s.file_name as source_file,
  {{path_time "s.file_name" "Asia/Seoul"}} as staging_interval_utc,
  {{now}} as ingestion_timestamp,
  CAST({{to_zone (now) "Asia/Seoul"}} AS DATE) as ingestion_date
from {{source "staging" "events"}} as s
