{{!--
  The event fact: one row per silver event, keyed to the dimensions by hash_key of their natural
  keys (a member missing from its dimension -> key 0, the unknown member).
  An interval model over silver's staging intervals (gold.yml): the sessions touched by the
  silver rows of the intervals processed are recomputed as a whole (all their events, in any
  interval), because a session can span intervals: its length
  (session_duration_seconds = last - first event time) and the time from an event to the next
  one (page_view_duration_seconds, NULL for a session's last event) change when later events
  arrive. A session is (user_id, session_id): a session id reused by another user is another
  session. Merged on (event_date, event_id): an event has one date, and the join on it lets the
  engine read only the window's dates of the fact. created_at survives recomputation, updated_at
  records it.
  Bound: a session lasts less than a day (the generator's last minutes; a web session expires
  after 30 idle minutes), so its events lie on the date of a touched row or the day before or
  after: the session lookup and the fact's own previous rows are read for those dates only, which
  lets the engine prune by date (row-group min/max on DuckDB, event_date partitions on Iceberg).
--}}
with
{{#if interval_start}}
touched as (
  select distinct s.session_id, s.date
  from {{ref "user_events_silver"}} as s
  where s.staging_interval_utc >= {{interval_start}} and s.staging_interval_utc < {{interval_end}}
),
touched_dates as (
  select distinct CAST({{add_seconds "CAST(t.date AS TIMESTAMP)" "d.n * 86400"}} AS DATE) as date
  from touched as t
  cross join (values (-1), (0), (1)) as d(n)
),
{{/if}}
events as (
  select
    s.event_id,
    s.event_name,
    s.user_id,
    s.anonymous_id,
    s.session_id,
    s.kst_timestamp,
    s.date,
    s.page_name,
    s.prop_recipe_id
  from {{ref "user_events_silver"}} as s
  {{#if interval_start}}
  where s.date in (select d.date from touched_dates as d)
    and s.session_id in (select t.session_id from touched as t)
  {{/if}}
),
sessions as (
  select
    e.user_id,
    e.session_id,
    min(e.kst_timestamp) as session_start,
    max(e.kst_timestamp) as session_end
  from events as e
  group by e.user_id, e.session_id
),
sequenced as (
  select
    e.*,
    lead(e.kst_timestamp) over (partition by e.user_id, e.session_id order by e.kst_timestamp, e.event_id) as next_event_kst
  from events as e
)
select
  q.event_id,
  coalesce(du.user_sk, CAST(0 AS BIGINT)) as user_dim_key,
  coalesce(dt.time_dim_key, CAST(0 AS BIGINT)) as time_dim_key,
  coalesce(dr.recipe_sk, CAST(0 AS BIGINT)) as recipe_dim_key,
  coalesce(dp.page_sk, CAST(0 AS BIGINT)) as page_dim_key,
  coalesce(de.event_sk, CAST(0 AS BIGINT)) as event_dim_key,
  1 as event_count,
  CAST({{ms_between "ss.session_start" "ss.session_end"}} AS DOUBLE) / 1000 as session_duration_seconds,
  CAST({{ms_between "q.kst_timestamp" "q.next_event_kst"}} AS DOUBLE) / 1000 as page_view_duration_seconds,
  {{is_conversion "q.event_name"}} as is_conversion,
  CAST(case when {{is_conversion "q.event_name"}} then 1 else 0 end AS DOUBLE) as conversion_value,
  {{engagement_score "q.event_name"}} as engagement_score,
  q.session_id,
  q.anonymous_id,
  q.date as event_date,
  {{#if (is_incremental)}}coalesce(prev.created_at, {{now}}){{else}}{{now}}{{/if}} as created_at,
  {{now}} as updated_at
from sequenced as q
join sessions as ss on ss.session_id = q.session_id and ss.user_id = q.user_id
left join {{ref "dim_user"}} as du on du.user_id = q.user_id
left join {{ref "dim_time"}} as dt on dt.time_dim_key = {{time_dim_key "q.kst_timestamp"}}
left join {{ref "dim_recipe"}} as dr on dr.recipe_id = q.prop_recipe_id
left join {{ref "dim_page"}} as dp on dp.page_name = q.page_name
left join {{ref "dim_event"}} as de on de.event_name = q.event_name
{{#if (is_incremental)}}
left join {{this}} as prev on prev.event_date = q.date and prev.event_id = q.event_id
{{/if}}
