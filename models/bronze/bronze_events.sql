{{!--
  Bronze: the raw ledger. One row per staged line, exactly as received, with the file it came
  from and when it was loaded. incremental_strategy new_files: each run lists the staging area,
  reads only the files the framework's file ledger (framework_state.loaded_files) has not seen, and
  appends their lines, so every staged file is loaded exactly once and bronze is never rewritten.
--}}
select
  s.line as raw_event_string,
  s.file_name as source_file,
  {{now}} as ingestion_timestamp,
  CAST({{to_zone (now) "Asia/Seoul"}} AS DATE) as ingestion_date
from {{source "staging" "events"}} as s
