{{!-- Daily engagement score (sum of fact engagement_score) and per active user, with the weekday. --}}
select
  t.date,
  t.day_of_week,
  min(t.day_of_week_num) as day_of_week_num,
  t.is_weekend,
  count(distinct f.user_dim_key) as active_users,
  count(*) as events,
  sum(f.engagement_score) as total_engagement_score,
  {{ratio "sum(f.engagement_score)" "count(distinct f.user_dim_key)" "2"}} as avg_engagement_per_user,
  {{ratio "sum(f.engagement_score)" "count(*)" "3"}} as avg_engagement_per_event
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
where f.user_dim_key <> 0
group by t.date, t.day_of_week, t.is_weekend
