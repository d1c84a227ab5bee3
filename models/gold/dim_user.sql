{{!--
  SCD type 1, one row per user_id: attributes of the user's latest event win (ties broken by
  event_id); ab_test_group is the latest non-NULL group (the context carries it only during the
  test). user_sk = hash_key(user_id): the same on every rebuild and on both engines. Key 0 is the
  unknown user.
--}}
with ranked as (
  select
    s.user_id,
    s.anonymous_id,
    s.user_segment,
    s.activity_level,
    s.cooking_style,
    row_number() over (partition by s.user_id order by s.kst_timestamp desc, s.event_id desc) as recency
  from {{ref "user_events_silver"}} as s
),
ab as (
  select user_id, ab_test_group
  from (
    select
      s.user_id,
      s.ab_test_group,
      row_number() over (partition by s.user_id order by s.kst_timestamp desc, s.event_id desc) as recency
    from {{ref "user_events_silver"}} as s
    where s.ab_test_group is not null
  ) as g
  where g.recency = 1
),
activity as (
  select
    s.user_id,
    min(s.kst_timestamp) as first_seen_kst,
    max(s.kst_timestamp) as last_seen_kst
  from {{ref "user_events_silver"}} as s
  group by s.user_id
)
select
  CAST(0 AS BIGINT) as user_sk,
  CAST(NULL AS BIGINT) as user_id,
  CAST(NULL AS VARCHAR) as anonymous_id,
  'UNKNOWN' as user_segment,
  'UNKNOWN' as cooking_style,
  CAST(NULL AS VARCHAR) as ab_test_group,
  'UNKNOWN' as activity_level,
  CAST(NULL AS TIMESTAMP) as first_seen_kst,
  CAST(NULL AS TIMESTAMP) as last_seen_kst
union all
select
  {{hash_key "r.user_id"}} as user_sk,
  r.user_id,
  r.anonymous_id,
  r.user_segment,
  r.cooking_style,
  ab.ab_test_group,
  r.activity_level,
  a.first_seen_kst,
  a.last_seen_kst
from ranked as r
left join ab on ab.user_id = r.user_id
left join activity as a on a.user_id = r.user_id
where r.recency = 1
