{{!--
  Bronze: the raw ledger. One row per staged line, exactly as received, with the file it came
  from and when it was loaded. Append-only: a rerun loads only files whose name is not yet in
  the table, so staging files are loaded exactly once and bronze is never rewritten.
--}}
select
  s.line as raw_event_string,
  s.file_name as source_file,
  {{now}} as ingestion_timestamp,
  CAST({{to_zone (now) "Asia/Seoul"}} AS DATE) as ingestion_date
from {{source "staging" "events"}} as s
{{#if (is_incremental)}}
where s.file_name not in (select distinct b.source_file from {{this}} as b)
{{/if}}
