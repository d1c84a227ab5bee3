{{!--
  Treatment vs control per user_segment over the test window: CTR and conversion of each group and
  the relative lift (treatment / control - 1). Only segments with at least 100 users in the test.
--}}
with ab as (
  select * from {{ref "ab_test_events"}}
),
per_group as (
  select
    user_segment,
    ab_test_group,
    count(distinct user_dim_key) as users,
    sum(case when event_name = 'view_ads' then 1 else 0 end) as impressions,
    sum(case when event_name = 'click_ads' then 1 else 0 end) as clicks,
    count(distinct case when is_conversion then user_dim_key end) as converted_users
  from ab
  group by user_segment, ab_test_group
),
pivoted as (
  select
    user_segment,
    sum(case when ab_test_group = 'control' then users else 0 end) as control_users,
    sum(case when ab_test_group = 'treatment' then users else 0 end) as treatment_users,
    sum(case when ab_test_group = 'control' then impressions else 0 end) as control_impressions,
    sum(case when ab_test_group = 'treatment' then impressions else 0 end) as treatment_impressions,
    sum(case when ab_test_group = 'control' then clicks else 0 end) as control_clicks,
    sum(case when ab_test_group = 'treatment' then clicks else 0 end) as treatment_clicks,
    sum(case when ab_test_group = 'control' then converted_users else 0 end) as control_converted_users,
    sum(case when ab_test_group = 'treatment' then converted_users else 0 end) as treatment_converted_users
  from per_group
  group by user_segment
)
select
  p.user_segment,
  p.control_users,
  p.treatment_users,
  p.control_impressions,
  p.treatment_impressions,
  p.control_clicks,
  p.treatment_clicks,
  {{pct "p.control_clicks" "p.control_impressions" "3"}} as control_ctr_pct,
  {{pct "p.treatment_clicks" "p.treatment_impressions" "3"}} as treatment_ctr_pct,
  {{pct
    "CAST(p.treatment_clicks AS DOUBLE) / nullif(p.treatment_impressions, 0) - CAST(p.control_clicks AS DOUBLE) / nullif(p.control_impressions, 0)"
    "CAST(p.control_clicks AS DOUBLE) / nullif(p.control_impressions, 0)"}} as ctr_lift_pct,
  {{pct "p.control_converted_users" "p.control_users"}} as control_conversion_rate_pct,
  {{pct "p.treatment_converted_users" "p.treatment_users"}} as treatment_conversion_rate_pct,
  {{pct
    "CAST(p.treatment_converted_users AS DOUBLE) / nullif(p.treatment_users, 0) - CAST(p.control_converted_users AS DOUBLE) / nullif(p.control_users, 0)"
    "CAST(p.control_converted_users AS DOUBLE) / nullif(p.control_users, 0)"}} as conversion_lift_pct
from pivoted as p
where p.control_users + p.treatment_users >= 100
