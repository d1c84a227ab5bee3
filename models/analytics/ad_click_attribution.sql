{{!--
  Each ad click with the segment, cooking style and A/B group the user had when clicking
  (dim_user_history, SCD type 2), next to the current segment (dim_user, SCD type 1). A click
  before the user's first recorded version has no history to match: 'UNKNOWN', attributed false.
--}}
select
  e.event_id,
  e.user_id,
  e.kst_timestamp as clicked_at_kst,
  e.prop_ad_id as ad_id,
  coalesce(h.user_segment, 'UNKNOWN') as segment_at_click,
  coalesce(h.cooking_style, 'UNKNOWN') as cooking_style_at_click,
  h.ab_test_group as ab_test_group_at_click,
  coalesce(u.user_segment, 'UNKNOWN') as current_segment,
  h.dbt_scd_id is not null as attributed
from {{ref "user_events_silver"}} as e
left join {{ref "dim_user_history"}} as h
  on h.user_id = e.user_id
  and h.dbt_valid_from <= e.kst_timestamp
  and e.kst_timestamp < coalesce(h.dbt_valid_to, TIMESTAMP '9999-12-31 00:00:00')
left join {{ref "dim_user"}} as u on u.user_id = e.user_id
where e.event_name = 'click_ads'
