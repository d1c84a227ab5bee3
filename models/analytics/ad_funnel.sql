{{!--
  Ad funnel over all data, nested: users who visited (view_page); of those, who searched
  (search_recipe); of those, who clicked a recipe (click_recipe); of those, who saw an ad
  (view_ads); of those, who clicked an ad (click_ads). With the conversion from the previous stage
  and from the first, and the drop-off.
--}}
with per_user as (
  select
    f.user_dim_key,
    max(case when e.event_name = 'view_page' then 1 else 0 end) as visited,
    max(case when e.event_name = 'search_recipe' then 1 else 0 end) as searched,
    max(case when e.event_name = 'click_recipe' then 1 else 0 end) as clicked_recipe,
    max(case when e.event_name = 'view_ads' then 1 else 0 end) as viewed_ad,
    max(case when e.event_name = 'click_ads' then 1 else 0 end) as clicked_ad
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
  where f.user_dim_key <> 0
  group by f.user_dim_key
),
totals as (
  select
    sum(visited) as s1,
    sum(visited * searched) as s2,
    sum(visited * searched * clicked_recipe) as s3,
    sum(visited * searched * clicked_recipe * viewed_ad) as s4,
    sum(visited * searched * clicked_recipe * viewed_ad * clicked_ad) as s5
  from per_user
),
stages as (
  select 1 as stage_order, 'visit' as stage, 'view_page' as event_name, s1 as users from totals
  union all select 2, 'search', 'search_recipe', s2 from totals
  union all select 3, 'click_recipe', 'click_recipe', s3 from totals
  union all select 4, 'view_ads', 'view_ads', s4 from totals
  union all select 5, 'click_ads', 'click_ads', s5 from totals
)
select
  r.stage_order,
  r.stage,
  r.event_name,
  coalesce(r.users, 0) as users,
  lag(r.users) over (order by r.stage_order) as previous_stage_users,
  {{pct "r.users" "lag(r.users) over (order by r.stage_order)"}} as conversion_from_previous_pct,
  round(100 - {{pct "r.users" "lag(r.users) over (order by r.stage_order)"}}, 2) as drop_off_pct,
  {{pct "r.users" "first_value(r.users) over (order by r.stage_order)"}} as conversion_from_first_pct
from stages as r
