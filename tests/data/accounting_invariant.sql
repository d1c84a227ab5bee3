{{!--
  Every bronze line is accounted for exactly once: bronze = silver + quarantine + duplicates.
  duplicates is recomputed here from bronze itself (valid lines - distinct valid event_ids), so
  the test fails if silver lost or double-kept an event, or quarantine missed or repeated a line.
  Returns one row (the counts) when the books do not balance.
--}}
with parsed as (
  select
    count(*) as bronze_rows,
    coalesce(sum(case when p.reject_reason is null then 1 else 0 end), 0) as valid_rows,
    count(distinct case when p.reject_reason is null then p.event_id end) as distinct_valid_events,
    coalesce(sum(case when p.reject_reason is not null then 1 else 0 end), 0) as invalid_rows
  from {{ref "silver_parsed"}} as p
),
counts as (
  select
    p.bronze_rows,
    (select count(*) from {{ref "bronze_events"}}) as bronze_table_rows,
    (select count(*) from {{ref "user_events_silver"}}) as silver_rows,
    (select count(*) from {{ref "user_events_quarantine"}}) as quarantined_rows,
    p.valid_rows - p.distinct_valid_events as duplicates,
    p.invalid_rows,
    p.distinct_valid_events
  from parsed as p
)
select *
from counts
where bronze_rows <> silver_rows + quarantined_rows + duplicates
   or bronze_table_rows <> bronze_rows
   or quarantined_rows <> invalid_rows
   or silver_rows <> distinct_valid_events
