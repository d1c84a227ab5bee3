{{!--
  Quarantine: every bronze line that failed validation, with the first failing rule, the raw line
  and its file. Append-only and idempotent: only bronze loads newer than the newest load already
  quarantined are examined (a load with no bad lines leaves the watermark where it was, and is
  harmlessly looked at again next time).
--}}
-- depends_on: {{ref "bronze_events"}} (read through the ephemeral silver_parsed)
select
  p.reject_reason,
  p.raw_event_string,
  p.source_file,
  p.ingestion_timestamp,
  p.event_id,
  p.event_name,
  p.user_id_text as user_id,
  p.timestamp_text as event_timestamp_text,
  {{now}} as quarantined_at
from {{ref "silver_parsed"}} as p
where p.reject_reason is not null
{{#if (is_incremental)}}
  and p.ingestion_timestamp > (
    select coalesce(max(q.ingestion_timestamp), {{parse_ts "'1970-01-01T00:00:00Z'"}}) from {{this}} as q
  )
{{/if}}
