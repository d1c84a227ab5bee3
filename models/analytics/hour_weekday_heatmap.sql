{{!-- Events per weekday x hour, with intensity min-max normalised to 0..100 over the 168 cells. --}}
with cells as (
  select
    t.day_of_week,
    t.day_of_week_num,
    t.hour,
    count(*) as events,
    count(distinct f.user_dim_key) as active_users
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  where f.user_dim_key <> 0
  group by t.day_of_week, t.day_of_week_num, t.hour
)
select
  c.day_of_week,
  c.day_of_week_num,
  c.hour,
  c.events,
  c.active_users,
  coalesce(round(100.0 * CAST(c.events - min(c.events) over () AS DOUBLE)
    / nullif(CAST(max(c.events) over () - min(c.events) over () AS DOUBLE), 0), 1), 0) as intensity
from cells as c
