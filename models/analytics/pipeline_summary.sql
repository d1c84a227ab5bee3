{{!--
  One row summarising the run: rows per layer and where bronze lines went, and the headline
  insights (peak hour, Saturday vs weekday DAU, A/B CTR lift, largest segment).
--}}
with accounting as (
  select * from {{ref "pipeline_accounting"}}
),
fact as (
  select count(*) as fact_rows from {{ref "fact_user_events"}}
),
users as (
  select count(*) as dim_user_rows from {{ref "dim_user"}} where user_sk <> 0
),
hours as (
  select hour, sum(events) as events from {{ref "events_per_hour"}} group by hour
),
peak as (
  select hour as peak_hour, events as peak_hour_events
  from (select h.*, row_number() over (order by h.events desc, h.hour) as rn from hours as h) as x
  where rn = 1
),
dau as (
  select
    avg(case when day_of_week = 'Sat' then CAST(dau AS DOUBLE) end) as saturday_avg_dau,
    avg(case when day_of_week in ('Mon', 'Tue', 'Wed', 'Thu', 'Fri') then CAST(dau AS DOUBLE) end) as weekday_avg_dau,
    avg(case when day_of_week = 'Sun' then CAST(dau AS DOUBLE) end) as sunday_avg_dau
  from {{ref "dau"}}
  where dimension = 'total'
),
ab as (
  select
    max(case when ab_test_group = 'control' then ad_impressions end) as control_impressions,
    max(case when ab_test_group = 'treatment' then ad_impressions end) as treatment_impressions,
    max(case when ab_test_group = 'control' then ad_clicks end) as control_clicks,
    max(case when ab_test_group = 'treatment' then ad_clicks end) as treatment_clicks,
    max(case when ab_test_group = 'control' then ctr_pct end) as control_ctr_pct,
    max(case when ab_test_group = 'treatment' then ctr_pct end) as treatment_ctr_pct,
    max(case when ab_test_group = 'treatment' then ctr_lift_vs_control_pct end) as ab_ctr_lift_pct
  from {{ref "ab_test_kpi_summary"}}
),
ab_ci as (
  -- 95% interval of the CTR ratio (log method): se = sqrt(1/c2 - 1/n2 + 1/c1 - 1/n1). 1e0 is a DOUBLE
  -- literal on both engines (1.0 is a DECIMAL on Trino, and decimal division keeps only its scale).
  select
    ab.*,
    case when ab.control_clicks > 0 and ab.treatment_clicks > 0 then
      sqrt(1e0 / ab.treatment_clicks - 1e0 / ab.treatment_impressions + 1e0 / ab.control_clicks - 1e0 / ab.control_impressions)
    end as log_ratio_se,
    case when ab.control_clicks > 0 and ab.treatment_clicks > 0 then
      ln((CAST(ab.treatment_clicks AS DOUBLE) / ab.treatment_impressions) / (CAST(ab.control_clicks AS DOUBLE) / ab.control_impressions))
    end as log_ratio
  from ab
),
segments as (
  select user_segment, count(*) as users
  from {{ref "dim_user"}}
  where user_sk <> 0
  group by user_segment
),
largest as (
  select user_segment as largest_segment, users as largest_segment_users, share_pct as largest_segment_share_pct
  from (
    select
      s.user_segment,
      s.users,
      {{pct "s.users" "sum(s.users) over ()"}} as share_pct,
      row_number() over (order by s.users desc, s.user_segment) as rn
    from segments as s
  ) as x
  where rn = 1
)
select
  a.bronze_rows,
  a.bronze_files,
  a.silver_rows,
  a.quarantined_rows,
  a.duplicates_dropped,
  a.is_balanced,
  a.silver_retention_pct,
  f.fact_rows,
  u.dim_user_rows,
  p.peak_hour,
  p.peak_hour_events,
  round(d.saturday_avg_dau, 1) as saturday_avg_dau,
  round(d.weekday_avg_dau, 1) as weekday_avg_dau,
  round(d.sunday_avg_dau, 1) as sunday_avg_dau,
  {{ratio "d.saturday_avg_dau" "d.weekday_avg_dau" "3"}} as saturday_vs_weekday_dau_ratio,
  ab.control_impressions,
  ab.control_clicks,
  ab.treatment_impressions,
  ab.treatment_clicks,
  ab.control_ctr_pct,
  ab.treatment_ctr_pct,
  ab.ab_ctr_lift_pct,
  round(100 * (exp(ab.log_ratio - 1.96 * ab.log_ratio_se) - 1), 1) as ab_ctr_lift_ci95_low_pct,
  round(100 * (exp(ab.log_ratio + 1.96 * ab.log_ratio_se) - 1), 1) as ab_ctr_lift_ci95_high_pct,
  l.largest_segment,
  l.largest_segment_users,
  l.largest_segment_share_pct
from accounting as a
cross join fact as f
cross join users as u
cross join dau as d
left join peak as p on true
left join ab_ci as ab on true
left join largest as l on true
