{{!-- Events and active users per KST hour of day and user_segment (stacked bars); sum over segments for the total. --}}
select
  t.hour,
  u.user_segment,
  count(*) as events,
  count(distinct f.user_dim_key) as active_users,
  count(distinct t.date) as days
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
where f.user_dim_key <> 0
group by t.hour, u.user_segment
