{{!-- Daily active users, in total and per user_segment, cooking_style and ab_test_group (spec §4 DAU). --}}
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
select date, day_of_week, is_weekend, 'total' as dimension, 'all' as dimension_value, count(distinct user_dim_key) as dau
from active group by date, day_of_week, is_weekend
union all
select date, day_of_week, is_weekend, 'user_segment', user_segment, count(distinct user_dim_key)
from active group by date, day_of_week, is_weekend, user_segment
union all
select date, day_of_week, is_weekend, 'cooking_style', cooking_style, count(distinct user_dim_key)
from active group by date, day_of_week, is_weekend, cooking_style
union all
select date, day_of_week, is_weekend, 'ab_test_group', ab_test_group, count(distinct user_dim_key)
from active group by date, day_of_week, is_weekend, ab_test_group
