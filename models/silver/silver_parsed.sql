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
fields_read as (
  -- Every top-level field in one read of the document: json_strs parses it once on DuckDB, where
  -- a json_str per field parsed it eight times (a third of the parse's time).
  select
    l.*,
    {{json_strs "l.doc" "$.event_id" "$.event_name" "$.user_id" "$.anonymous_id" "$.session_id" "$.timestamp" "$.context" "$.event_properties"}} as top
  from lines as l
),
fields as (
  select
    l.raw_event_string,
    l.source_file,
    l.staging_interval_utc,
    l.ingestion_timestamp,
    l.doc,
    nullif(trim(l.top[1]), '') as event_id,
    nullif(trim(l.top[2]), '') as event_name,
    nullif(trim(l.top[3]), '') as user_id_text,
    nullif(trim(l.top[4]), '') as anonymous_id,
    nullif(trim(l.top[5]), '') as session_id,
    l.top[6] as timestamp_text,
    coalesce(l.top[7], {{json_raw "l.doc" "$.context"}}) as context_text,
    coalesce(l.top[8], {{json_raw "l.doc" "$.event_properties"}}) as properties_text
  from fields_read as l
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
nested as (
  -- The context's and the properties' fields, one read of each object (as for the top level).
  select
    t.*,
    {{json_strs "t.ctx" "$.page.name" "$.page.url" "$.page.path" "$.user_segment" "$.activity_level" "$.cooking_style" "$.ab_test.group" "$.ab_test.scenario"}} as c,
    {{json_strs "t.props" "$.recipe_id" "$.list_type" "$.action" "$.search_keyword" "$.result_count" "$.search_type" "$.ad_id" "$.ad_type" "$.position" "$.ad_targeting_method" "$.rank" "$.method" "$.type"}} as p
  from typed as t
),
extracted as (
  select
    t.raw_event_string,
    t.source_file,
    t.staging_interval_utc,
    t.ingestion_timestamp,
    t.doc,
    t.event_id,
    t.event_name,
    t.user_id_text,
    t.anonymous_id,
    t.session_id,
    t.timestamp_text,
    t.context_text,
    t.properties_text,
    t.event_ts,
    t.user_id,
    t.ctx,
    t.props,
    {{to_zone "t.event_ts" "Asia/Seoul"}} as kst_timestamp,
    {{to_zone "t.event_ts" "UTC"}} as utc_timestamp,
    -- c[i], p[i]: the value at the i-th path of nested's json_strs.
    t.c[1] as page_name,
    t.c[2] as page_url,
    t.c[3] as page_path,
    t.c[4] as user_segment,
    t.c[5] as activity_level,
    t.c[6] as cooking_style,
    t.c[7] as ab_test_group,
    t.c[8] as ab_test_scenario,
    {{safe_cast "t.p[1]" "BIGINT"}} as prop_recipe_id,
    t.p[2] as prop_list_type,
    t.p[3] as prop_action,
    t.p[4] as prop_search_keyword,
    {{safe_cast "t.p[5]" "INTEGER"}} as prop_result_count,
    t.p[6] as prop_search_type,
    t.p[7] as prop_ad_id,
    t.p[8] as prop_ad_type,
    t.p[9] as prop_ad_position,
    t.p[10] as prop_ad_targeting_method,
    {{safe_cast "t.p[11]" "INTEGER"}} as prop_rank,
    t.p[12] as prop_auth_method,
    t.p[13] as prop_type
  from nested as t
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
