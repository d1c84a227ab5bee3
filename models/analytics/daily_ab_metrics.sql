{{!-- Daily A/B metrics per group over the test window: users, impressions, clicks, CTR, conversions, engagement. --}}
select
  t.date,
  t.day_of_week,
  u.ab_test_group,
  count(distinct f.user_dim_key) as users,
  count(*) as events,
  sum(case when e.event_name = 'view_ads' then 1 else 0 end) as impressions,
  sum(case when e.event_name = 'click_ads' then 1 else 0 end) as clicks,
  {{pct "sum(case when e.event_name = 'click_ads' then 1 else 0 end)" "sum(case when e.event_name = 'view_ads' then 1 else 0 end)" "3"}} as ctr_pct,
  sum(case when f.is_conversion then 1 else 0 end) as conversions,
  {{ratio "sum(f.engagement_score)" "count(distinct f.user_dim_key)" "2"}} as avg_engagement_per_user
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
where f.user_dim_key <> 0
  and u.ab_test_group is not null
  and {{in_ab_test "t.date"}}
group by t.date, t.day_of_week, u.ab_test_group
