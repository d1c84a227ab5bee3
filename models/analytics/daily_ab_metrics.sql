{{!-- Daily A/B metrics per group over the test window: users, impressions, clicks, CTR, conversions, engagement. --}}
select
  a.date,
  a.day_of_week,
  a.ab_test_group,
  count(distinct a.user_dim_key) as users,
  count(*) as events,
  sum(a.impression) as impressions,
  sum(a.click) as clicks,
  {{pct "sum(a.click)" "sum(a.impression)" "3"}} as ctr_pct,
  sum(case when a.is_conversion then 1 else 0 end) as conversions,
  {{ratio "sum(a.engagement_score)" "count(distinct a.user_dim_key)" "2"}} as avg_engagement_per_user
from {{ref "ab_test_events"}} as a
group by a.date, a.day_of_week, a.ab_test_group
