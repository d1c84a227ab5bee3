{{!--
  SCD type 2 of each user's segment, cooking style and A/B group (dim_user is SCD type 1). The
  version's start is when the current attributes began: the first event after the user's last
  event with other attributes (an event without an A/B group does not leave the group: dim_user
  keeps the latest non-NULL one). So a change shows up as a new version from the event that
  brought it, and a run that sees no new attributes changes nothing.
--}}
{{config unique_key="user_id" strategy="timestamp" updated_at="attributes_since"}}
with latest as (
  select u.user_id, u.user_segment, u.cooking_style, u.ab_test_group
  from {{ref "dim_user"}} as u
  where u.user_id is not null
),
last_other as (
  select s.user_id, max(s.kst_timestamp) as at_kst
  from {{ref "user_events_silver"}} as s
  join latest as l on l.user_id = s.user_id
  where s.user_segment is distinct from l.user_segment
    or s.cooking_style is distinct from l.cooking_style
    or (s.ab_test_group is not null and s.ab_test_group is distinct from l.ab_test_group)
  group by s.user_id
),
since as (
  select s.user_id, min(s.kst_timestamp) as attributes_since
  from {{ref "user_events_silver"}} as s
  left join last_other as o on o.user_id = s.user_id
  where o.at_kst is null or s.kst_timestamp > o.at_kst
  group by s.user_id
)
select l.user_id, l.user_segment, l.cooking_style, l.ab_test_group, n.attributes_since
from latest as l
join since as n on n.user_id = l.user_id
