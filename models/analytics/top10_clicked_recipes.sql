{{!-- The 10 most clicked recipes (click_recipe events); ties broken by recipe_id. --}}
with counts as (
  select
    r.recipe_id,
    r.recipe_name,
    r.dish_type,
    count(*) as clicks,
    count(distinct f.user_dim_key) as users
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
  join {{ref "dim_recipe"}} as r on r.recipe_sk = f.recipe_dim_key
  where f.user_dim_key <> 0
    and f.recipe_dim_key <> 0
    and e.event_name = 'click_recipe'
  group by r.recipe_id, r.recipe_name, r.dish_type
),
ranked as (
  select c.*, row_number() over (order by c.clicks desc, c.recipe_id) as rank
  from counts as c
)
select rank, recipe_id, recipe_name, dish_type, clicks, users
from ranked
where rank <= 10
