{{!--
  Pages seen in silver, one row per page_name (the URL of its latest event wins);
  page_sk = hash_key(page_name). Key 0 is the unknown page (events without a page).
--}}
with ranked as (
  select
    s.page_name,
    s.page_url,
    row_number() over (partition by s.page_name order by s.kst_timestamp desc, s.event_id desc) as recency
  from {{ref "user_events_silver"}} as s
  where s.page_name is not null
)
select
  CAST(0 AS BIGINT) as page_sk,
  'unknown' as page_name,
  CAST(NULL AS VARCHAR) as page_url
union all
select
  {{hash_key "r.page_name"}} as page_sk,
  r.page_name,
  r.page_url
from ranked as r
where r.recency = 1
