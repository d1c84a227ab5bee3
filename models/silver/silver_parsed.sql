{{!--
  Ephemeral: the one place bronze lines are parsed and validated, inlined (as a CTE) into
  user_events_silver, user_events_quarantine and pipeline_accounting so they can never disagree.
  context and event_properties may be JSON objects or JSON-encoded strings of objects (the
  original producer double-encoded them): coalesce(json_str, json_raw) yields the object text
  either way on both engines. Every bronze row comes out exactly once, with reject_reason NULL
  (valid) or the first failing rule.
--}}
with lines as (
  select
    b.raw_event_string,
    b.source_file,
    b.staging_interval_utc,
    b.ingestion_timestamp,
    -- Only text that parses as a JSON object reaches the JSON functions (DuckDB raises on bad JSON).
    case when {{json_is_object "b.raw_event_string"}} then b.raw_event_string end as doc
  from {{ref "bronze_events"}} as b
),
fields as (
  select
    l.*,
    nullif(trim({{json_str "l.doc" "$.event_id"}}), '') as event_id,
    nullif(trim({{json_str "l.doc" "$.event_name"}}), '') as event_name,
    nullif(trim({{json_str "l.doc" "$.user_id"}}), '') as user_id_text,
    nullif(trim({{json_str "l.doc" "$.anonymous_id"}}), '') as anonymous_id,
    nullif(trim({{json_str "l.doc" "$.session_id"}}), '') as session_id,
    {{json_str "l.doc" "$.timestamp"}} as timestamp_text,
    coalesce({{json_str "l.doc" "$.context"}}, {{json_raw "l.doc" "$.context"}}) as context_text,
    coalesce({{json_str "l.doc" "$.event_properties"}}, {{json_raw "l.doc" "$.event_properties"}}) as properties_text
  from lines as l
),
typed as (
  select
    f.*,
    {{parse_ts "f.timestamp_text"}} as event_ts,
    case when {{regex_match "f.user_id_text" "^[0-9]{1,18}$"}} then {{safe_cast "f.user_id_text" "BIGINT"}} end as user_id,
    case when {{json_is_object "f.context_text"}} then f.context_text end as ctx,
    case when {{json_is_object "f.properties_text"}} then f.properties_text end as props
  from fields as f
),
extracted as (
  select
    t.*,
    {{to_zone "t.event_ts" "Asia/Seoul"}} as kst_timestamp,
    {{to_zone "t.event_ts" "UTC"}} as utc_timestamp,
    {{json_str "t.ctx" "$.page.name"}} as page_name,
    {{json_str "t.ctx" "$.page.url"}} as page_url,
    {{json_str "t.ctx" "$.page.path"}} as page_path,
    {{json_str "t.ctx" "$.user_segment"}} as user_segment,
    {{json_str "t.ctx" "$.activity_level"}} as activity_level,
    {{json_str "t.ctx" "$.cooking_style"}} as cooking_style,
    {{json_str "t.ctx" "$.ab_test.group"}} as ab_test_group,
    {{json_str "t.ctx" "$.ab_test.scenario"}} as ab_test_scenario,
    {{safe_cast (json_str "t.props" "$.recipe_id") "BIGINT"}} as prop_recipe_id,
    {{json_str "t.props" "$.list_type"}} as prop_list_type,
    {{json_str "t.props" "$.action"}} as prop_action,
    {{json_str "t.props" "$.search_keyword"}} as prop_search_keyword,
    {{safe_cast (json_str "t.props" "$.result_count") "INTEGER"}} as prop_result_count,
    {{json_str "t.props" "$.search_type"}} as prop_search_type,
    {{json_str "t.props" "$.ad_id"}} as prop_ad_id,
    {{json_str "t.props" "$.ad_type"}} as prop_ad_type,
    {{json_str "t.props" "$.position"}} as prop_ad_position,
    {{json_str "t.props" "$.ad_targeting_method"}} as prop_ad_targeting_method,
    {{safe_cast (json_str "t.props" "$.rank") "INTEGER"}} as prop_rank,
    {{json_str "t.props" "$.method"}} as prop_auth_method,
    {{json_str "t.props" "$.type"}} as prop_type
  from typed as t
)
select
  e.*,
  case
    when e.doc is null then 'invalid_json'
    when e.event_id is null then 'missing_event_id'
    when e.event_name is null then 'missing_event_name'
    when e.user_id_text is null then 'missing_user_id'
    when e.session_id is null then 'missing_session_id'
    when e.timestamp_text is null then 'missing_timestamp'
    when e.user_id is null then 'bad_user_id'
    when e.event_ts is null then 'bad_timestamp'
    when e.event_name not in ({{literal_list (var "event_names")}}) then 'unknown_event_name'
    when e.ctx is null then 'invalid_context'
    when e.props is null then 'invalid_event_properties'
    when e.kst_timestamp < {{ts_literal (var "min_event_time")}} or e.kst_timestamp > {{ts_literal (var "max_event_time")}} then 'out_of_range'
    when e.user_id <= 0 then 'out_of_range'
    when e.prop_recipe_id is not null and e.prop_recipe_id <= 0 then 'out_of_range'
    when e.prop_result_count is not null and e.prop_result_count < 0 then 'out_of_range'
    when e.ab_test_group is not null and e.ab_test_group not in ('treatment', 'control') then 'out_of_range'
  end as reject_reason
from extracted as e
