{{!-- The 12 event types of spec §1 (var event_names) with a category; key 0 is the unknown event. --}}
select
  CAST(0 AS BIGINT) as event_sk,
  'unknown' as event_name,
  'unknown' as event_category,
  false as is_conversion_event,
  1 as engagement_weight
union all
select
  {{hash_key "e.event_name"}} as event_sk,
  e.event_name,
  case
    when e.event_name in ('view_page') then 'navigation'
    when e.event_name in ('click_auth_button', 'auth_success') then 'auth'
    when e.event_name in ('search_recipe', 'view_recipe_list') then 'discovery'
    when e.event_name in ('click_recipe', 'click_bookmark', 'click_like', 'create_comment', 'create_recipe_success') then 'recipe_interaction'
    when e.event_name in ('view_ads', 'click_ads') then 'advertising'
  end as event_category,
  {{is_conversion "e.event_name"}} as is_conversion_event,
  {{engagement_score "e.event_name"}} as engagement_weight
from (values
{{#each (var "event_names")}}  ({{lit this}}){{#unless @last}},{{/unless}}
{{/each}}) as e(event_name)
