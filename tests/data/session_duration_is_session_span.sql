{{!--
  session_duration_seconds is the real session length: for every (user, session) it equals the
  span of the session's events in silver, and is the same on all of the session's fact rows.
--}}
with silver_sessions as (
  select
    s.user_id,
    s.session_id,
    CAST({{ms_between "min(s.kst_timestamp)" "max(s.kst_timestamp)"}} AS DOUBLE) / 1000 as span_seconds
  from {{ref "user_events_silver"}} as s
  group by s.user_id, s.session_id
),
fact_sessions as (
  select
    u.user_id,
    f.session_id,
    min(f.session_duration_seconds) as min_duration,
    max(f.session_duration_seconds) as max_duration
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  group by u.user_id, f.session_id
)
select s.user_id, s.session_id, s.span_seconds, f.min_duration, f.max_duration
from silver_sessions as s
join fact_sessions as f on f.user_id = s.user_id and f.session_id = s.session_id
where abs(f.min_duration - s.span_seconds) > 0.001 or abs(f.max_duration - s.span_seconds) > 0.001
