{{!--
  Ephemeral: the events of A/B-test users inside the test window, joined to their dimensions the
  way the original dashboard queries joined them (user_dim_key <> 0). The shared input of the A/B
  views, inlined into each of them.
--}}
{{config materialized="ephemeral"}}
select
  t.date,
  t.day_of_week,
  u.user_segment,
  u.ab_test_group,
  f.user_dim_key,
  f.session_id,
  e.event_name,
  f.is_conversion,
  f.engagement_score,
  case when e.event_name = 'view_ads' then 1 else 0 end as impression,
  case when e.event_name = 'click_ads' then 1 else 0 end as click
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
where f.user_dim_key <> 0
  and u.ab_test_group is not null
  and {{in_ab_test "t.date"}}
