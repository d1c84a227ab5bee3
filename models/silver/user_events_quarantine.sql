{{!--
  Quarantine: every bronze line that failed validation, with the first failing rule, the raw line
  and its file. An interval model like silver (silver.yml): an interval's rows are replaced when
  it is processed again, so reruns add nothing and late files are picked up.
--}}
-- depends_on: {{ref "bronze_events"}} (read through the ephemeral silver_parsed)
select
  p.reject_reason,
  p.raw_event_string,
  p.source_file,
  p.staging_interval_utc,
  p.ingestion_timestamp,
  p.event_id,
  p.event_name,
  p.user_id_text as user_id,
  p.timestamp_text as event_timestamp_text,
  {{now}} as quarantined_at
from {{ref "silver_parsed"}} as p
where p.reject_reason is not null
{{#if interval_start}}
  and p.staging_interval_utc >= {{interval_start}} and p.staging_interval_utc < {{interval_end}}
{{/if}}
