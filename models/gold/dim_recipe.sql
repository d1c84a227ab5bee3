{{!-- Recipes from the seed; recipe_sk = hash_key(recipe_id); key 0 is the unknown recipe. --}}
select
  CAST(0 AS BIGINT) as recipe_sk,
  CAST(NULL AS BIGINT) as recipe_id,
  'Unknown' as recipe_name,
  'Unknown' as dish_type,
  'Unknown' as ingredient_type,
  'Unknown' as method_type,
  'Unknown' as situation_type,
  'Unknown' as difficulty,
  'Unknown' as cooking_time
union all
select
  {{hash_key "r.recipe_id"}} as recipe_sk,
  CAST(r.recipe_id AS BIGINT) as recipe_id,
  r.recipe_name,
  r.dish_type,
  r.ingredient_type,
  r.method_type,
  r.situation_type,
  r.difficulty,
  r.cooking_time
from {{ref "recipe_master"}} as r
where r.recipe_id is not null
