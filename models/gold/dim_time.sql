{{!--
  One row per KST hour from dim_time_start to dim_time_end (2025-01-01 .. 2026-12-31: 17,520
  rows), keyed yyyyMMddHH, plus the unknown member (time_dim_key 0) for events outside the range.
--}}
with hours as (
  select {{add_seconds "CAST(d.d AS TIMESTAMP)" "h.n * 3600"}} as datetime_kst
  from {{date_series (date_literal (var "dim_time_start")) (date_literal (var "dim_time_end"))}} as d
  cross join {{int_series "0" "23"}} as h
)
select
  CAST(0 AS BIGINT) as time_dim_key,
  CAST(NULL AS TIMESTAMP) as datetime_kst,
  CAST(NULL AS DATE) as date,
  CAST(NULL AS INTEGER) as year,
  CAST(NULL AS INTEGER) as month,
  CAST(NULL AS INTEGER) as day,
  CAST(NULL AS INTEGER) as hour,
  'Unknown' as day_of_week,
  CAST(NULL AS INTEGER) as day_of_week_num,
  false as is_weekend
union all
select
  {{time_dim_key "x.datetime_kst"}} as time_dim_key,
  x.datetime_kst,
  CAST(x.datetime_kst AS DATE) as date,
  CAST(extract(year from x.datetime_kst) AS INTEGER) as year,
  CAST(extract(month from x.datetime_kst) AS INTEGER) as month,
  CAST(extract(day from x.datetime_kst) AS INTEGER) as day,
  CAST(extract(hour from x.datetime_kst) AS INTEGER) as hour,
  {{day_name "x.datetime_kst"}} as day_of_week,
  {{day_of_week_num "x.datetime_kst"}} as day_of_week_num,
  {{day_of_week_num "x.datetime_kst"}} in (6, 7) as is_weekend
from hours as x
