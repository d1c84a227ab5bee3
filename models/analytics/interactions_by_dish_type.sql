{{!-- Recipe interactions (click, bookmark, like, comment) per dish type of the recipe master. --}}
select
  r.dish_type,
  sum(case when e.event_name = 'click_recipe' then 1 else 0 end) as recipe_clicks,
  sum(case when e.event_name = 'click_bookmark' then 1 else 0 end) as bookmarks,
  sum(case when e.event_name = 'click_like' then 1 else 0 end) as likes,
  sum(case when e.event_name = 'create_comment' then 1 else 0 end) as comments,
  count(*) as total_interactions,
  count(distinct f.recipe_dim_key) as recipes,
  count(distinct f.user_dim_key) as users
from {{ref "fact_user_events"}} as f
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
join {{ref "dim_recipe"}} as r on r.recipe_sk = f.recipe_dim_key
where f.user_dim_key <> 0
  and f.recipe_dim_key <> 0
  and e.event_name in ('click_recipe', 'click_bookmark', 'click_like', 'create_comment')
group by r.dish_type
