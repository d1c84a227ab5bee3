{{!-- Events, active users, sessions and conversions per KST day. --}}
select
  t.date,
  t.day_of_week,
  t.is_weekend,
  count(*) as events,
  count(distinct f.user_dim_key) as active_users,
  count(distinct f.session_id) as sessions,
  sum(case when f.is_conversion then 1 else 0 end) as conversions,
  {{ratio "count(*)" "count(distinct f.session_id)" "2"}} as events_per_session
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
where f.user_dim_key <> 0
group by t.date, t.day_of_week, t.is_weekend
