{{!--
  Weekly (Monday-based) active users, in total and per user_segment, cooking_style and
  ab_test_group: one grouping set per dimension, so the fact and dim_user are read once (dau.sql).
--}}
with active as (
  select
    CAST(date_trunc('week', t.date) AS DATE) as week_start,
    t.date,
    u.user_segment,
    u.cooking_style,
    coalesce(u.ab_test_group, 'not_in_test') as ab_test_group,
    f.user_dim_key
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  where f.user_dim_key <> 0
)
select
  week_start,
  {{by_dimension "'user_segment'" "'cooking_style'" "'ab_test_group'" "'total'"}} as dimension,
  {{by_dimension "user_segment" "cooking_style" "ab_test_group" "'all'"}} as dimension_value,
  count(distinct user_dim_key) as wau,
  count(distinct date) as days_with_data
from active
group by grouping sets (
  (week_start),
  (week_start, user_segment),
  (week_start, cooking_style),
  (week_start, ab_test_group)
)
