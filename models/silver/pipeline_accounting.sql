{{!--
  Where every bronze line went. Counted independently of the tables' own logic:
  duplicates = valid bronze lines - distinct event_ids among them, so the invariant
  bronze = silver + quarantine + duplicates holds only if silver kept exactly one row per valid
  event_id and quarantine kept every invalid line.
--}}
with parsed as (
  select
    count(*) as bronze_rows,
    coalesce(sum(case when p.reject_reason is null then 1 else 0 end), 0) as valid_rows,
    count(distinct case when p.reject_reason is null then p.event_id end) as distinct_valid_events,
    coalesce(sum(case when p.reject_reason is not null then 1 else 0 end), 0) as invalid_rows
  from {{ref "silver_parsed"}} as p
),
silver as (select count(*) as silver_rows from {{ref "user_events_silver"}}),
quarantine as (select count(*) as quarantined_rows from {{ref "user_events_quarantine"}}),
files as (
  select count(distinct b.source_file) as bronze_files, max(b.ingestion_timestamp) as last_ingestion_timestamp
  from {{ref "bronze_events"}} as b
)
select
  p.bronze_rows,
  f.bronze_files,
  s.silver_rows,
  q.quarantined_rows,
  p.valid_rows - p.distinct_valid_events as duplicates_dropped,
  p.invalid_rows as invalid_rows_in_bronze,
  p.bronze_rows = s.silver_rows + q.quarantined_rows + (p.valid_rows - p.distinct_valid_events) as is_balanced,
  {{pct "s.silver_rows" "p.bronze_rows" "3"}} as silver_retention_pct,
  f.last_ingestion_timestamp
from parsed as p
cross join silver as s
cross join quarantine as q
cross join files as f
