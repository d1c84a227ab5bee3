{{!--
  Daily active users, in total and per user_segment, cooking_style and ab_test_group (spec §4 DAU).
  One grouping set per dimension: the fact and dim_user are read once for all four, where a union
  of four aggregations read them four times (a scoped test at 2M: 0.32 s against 0.57 s on Trino).
--}}
with active as (
  select
    t.date,
    t.day_of_week,
    t.is_weekend,
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
  date,
  day_of_week,
  is_weekend,
  {{by_dimension "'user_segment'" "'cooking_style'" "'ab_test_group'" "'total'"}} as dimension,
  {{by_dimension "user_segment" "cooking_style" "ab_test_group" "'all'"}} as dimension_value,
  count(distinct user_dim_key) as dau
from active
group by grouping sets (
  (date, day_of_week, is_weekend),
  (date, day_of_week, is_weekend, user_segment),
  (date, day_of_week, is_weekend, cooking_style),
  (date, day_of_week, is_weekend, ab_test_group)
)
