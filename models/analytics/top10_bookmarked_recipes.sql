{{!-- The 10 most bookmarked recipes (click_bookmark events); ties broken by recipe_id. --}}
{{top10_recipes "click_bookmark" "bookmarks"}}
