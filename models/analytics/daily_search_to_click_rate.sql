{{!--
  Daily search -> recipe click rate: click_recipe events per search_recipe event, and the share of
  searching users who also clicked a recipe that day.
--}}
with daily as (
  select
    t.date,
    f.user_dim_key,
    sum(case when e.event_name = 'search_recipe' then 1 else 0 end) as searches,
    sum(case when e.event_name = 'click_recipe' then 1 else 0 end) as recipe_clicks
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
  where f.user_dim_key <> 0
    and e.event_name in ('search_recipe', 'click_recipe')
  group by t.date, f.user_dim_key
)
select
  d.date,
  sum(d.searches) as searches,
  sum(d.recipe_clicks) as recipe_clicks,
  {{pct "sum(d.recipe_clicks)" "sum(d.searches)"}} as search_to_click_rate_pct,
  sum(case when d.searches > 0 then 1 else 0 end) as searching_users,
  sum(case when d.searches > 0 and d.recipe_clicks > 0 then 1 else 0 end) as searching_users_who_clicked,
  {{pct "sum(case when d.searches > 0 and d.recipe_clicks > 0 then 1 else 0 end)" "sum(case when d.searches > 0 then 1 else 0 end)"}} as user_search_to_click_rate_pct
from daily as d
group by d.date
