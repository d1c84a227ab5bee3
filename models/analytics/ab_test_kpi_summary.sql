{{!--
  A/B test KPIs per group over the test window: active users, ad impressions and clicks, CTR,
  conversions, engagement, and each group's CTR lift over control.
--}}
with ab as (
  select * from {{ref "ab_test_events"}}
),
kpi as (
  select
    ab_test_group,
    count(distinct user_dim_key) as users,
    count(distinct session_id) as sessions,
    count(*) as events,
    sum(case when event_name = 'view_ads' then 1 else 0 end) as ad_impressions,
    sum(case when event_name = 'click_ads' then 1 else 0 end) as ad_clicks,
    sum(case when is_conversion then 1 else 0 end) as conversions,
    count(distinct case when is_conversion then user_dim_key end) as converted_users,
    sum(engagement_score) as engagement_score
  from ab
  group by ab_test_group
)
select
  k.ab_test_group,
  {{lit (var "ab_test_scenario")}} as scenario,
  k.users,
  k.sessions,
  k.events,
  k.ad_impressions,
  k.ad_clicks,
  {{pct "k.ad_clicks" "k.ad_impressions" "3"}} as ctr_pct,
  k.conversions,
  k.converted_users,
  {{pct "k.converted_users" "k.users"}} as user_conversion_rate_pct,
  {{ratio "k.engagement_score" "k.users" "2"}} as avg_engagement_per_user,
  {{pct
    "CAST(k.ad_clicks AS DOUBLE) / nullif(k.ad_impressions, 0) - max(case when k.ab_test_group = 'control' then CAST(k.ad_clicks AS DOUBLE) / nullif(k.ad_impressions, 0) end) over ()"
    "max(case when k.ab_test_group = 'control' then CAST(k.ad_clicks AS DOUBLE) / nullif(k.ad_impressions, 0) end) over ()"}} as ctr_lift_vs_control_pct
from kpi as k
