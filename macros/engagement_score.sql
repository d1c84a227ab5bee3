{{!-- args: event_name --}}
{{!-- Engagement points of an event type (spec §3 fact_user_events). --}}
case {{event_name}}
  when 'auth_success' then 10
  when 'create_comment' then 9
  when 'click_bookmark' then 8
  when 'click_recipe' then 7
  when 'search_recipe' then 5
  when 'view_page' then 2
  else 1
end
