{{!-- The 10 most clicked recipes (click_recipe events); ties broken by recipe_id. --}}
{{top10_recipes "click_recipe" "clicks"}}
