{{!--
  session_duration_seconds is the real session length: for every (user, session) it equals the
  span of the session's events in silver, and is the same on all of the session's fact rows.
  On a scheduled run it checks the sessions of the fact rows that run wrote ({{written}}), reading
  silver and the fact on the dates of those rows and the day before and after: the bound the
  fact's own session recomputation uses (a session lasts less than a day). `test --full` checks
  every session.
--}}
with checked as (
  select distinct f.user_dim_key, f.session_id, f.event_date
  from {{written "fact_user_events"}} as f
),
dates as (
  select distinct CAST({{add_seconds "CAST(c.event_date AS TIMESTAMP)" "d.n * 86400"}} AS DATE) as date
  from checked as c
  cross join (values (-1), (0), (1)) as d(n)
),
silver_sessions as (
  select
    s.user_id,
    s.session_id,
    CAST({{ms_between "min(s.kst_timestamp)" "max(s.kst_timestamp)"}} AS DOUBLE) / 1000 as span_seconds
  from {{ref "user_events_silver"}} as s
  where s.date in (select d.date from dates as d)
    and s.session_id in (select c.session_id from checked as c)
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
  where f.event_date in (select d.date from dates as d)
    and exists (select 1 from checked as c where c.user_dim_key = f.user_dim_key and c.session_id = f.session_id)
  group by u.user_id, f.session_id
)
select s.user_id, s.session_id, s.span_seconds, f.min_duration, f.max_duration
from silver_sessions as s
join fact_sessions as f on f.user_id = s.user_id and f.session_id = s.session_id
where abs(f.min_duration - s.span_seconds) > 0.001 or abs(f.max_duration - s.span_seconds) > 0.001
