{{!-- Heatmap of daily ad CTR per user_segment and A/B group over the test window. --}}
select
  a.date,
  a.user_segment,
  a.ab_test_group,
  sum(a.impression) as impressions,
  sum(a.click) as clicks,
  {{pct "sum(a.click)" "sum(a.impression)" "3"}} as ctr_pct,
  count(distinct a.user_dim_key) as users
from {{ref "ab_test_events"}} as a
group by a.date, a.user_segment, a.ab_test_group
