{{!--
  Pages seen in silver, one row per page_name (the URL of its latest event wins);
  page_sk = hash_key(page_name). Key 0 is the unknown page (events without a page).
  Incremental like dim_user: a run reads only the silver rows processed since the table's newest
  processed_at and ranks them with the kept row of their page (last_seen_kst + last_event_id), so
  a page changes only when a newer event names it, and rows match a full rebuild.
--}}
{{!-- The silver rows to fold in, with or without a page: their newest processed_at is the
     table's new watermark (taken from all of silver, it read the whole table on every run). --}}
with processed as (
  select s.page_name, s.page_url, s.kst_timestamp, s.event_id, s.processed_at
  from {{ref "user_events_silver"}} as s
  {{#if (is_incremental)}}
    {{!-- As dim_user: one comparison with the subquery's own column, which both engines push into silver's scan. --}}
  where s.processed_at > (select coalesce(max(d.processed_at), {{parse_ts "'1970-01-01T00:00:00Z'"}}) from {{this}} as d)
  {{/if}}
),
events as (
  select p.* from processed as p where p.page_name is not null
),
candidates as (
  select e.page_name, e.page_url, e.kst_timestamp, e.event_id from events as e
  {{#if (is_incremental)}}
  union all
  select d.page_name, d.page_url, d.last_seen_kst, d.last_event_id
  from {{this}} as d
  where d.page_name in (select e.page_name from events as e)
  {{/if}}
),
ranked as (
  select
    c.*,
    row_number() over (partition by c.page_name order by c.kst_timestamp desc, c.event_id desc) as recency
  from candidates as c
)
{{#unless (is_incremental)}}
select
  CAST(0 AS BIGINT) as page_sk,
  'unknown' as page_name,
  CAST(NULL AS VARCHAR) as page_url,
  CAST(NULL AS TIMESTAMP) as last_seen_kst,
  CAST(NULL AS VARCHAR) as last_event_id,
  (select max(p.processed_at) from processed as p) as processed_at,
  {{now}} as updated_at
union all
{{/unless}}
select
  {{hash_key "r.page_name"}} as page_sk,
  r.page_name,
  r.page_url,
  r.kst_timestamp as last_seen_kst,
  r.event_id as last_event_id,
  (select max(p.processed_at) from processed as p) as processed_at,
  {{now}} as updated_at
from ranked as r
where r.recency = 1
