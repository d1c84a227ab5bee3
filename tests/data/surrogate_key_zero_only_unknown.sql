{{!-- Surrogate key 0 belongs only to the unknown member of each dimension, and each has exactly one. --}}
with zero_rows as (
  select 'dim_user' as dim, count(*) as zero_keys, sum(case when user_id is null then 1 else 0 end) as unknown_members from {{ref "dim_user"}} where user_sk = 0
  union all
  select 'dim_event', count(*), sum(case when event_name = 'unknown' then 1 else 0 end) from {{ref "dim_event"}} where event_sk = 0
  union all
  select 'dim_page', count(*), sum(case when page_name = 'unknown' then 1 else 0 end) from {{ref "dim_page"}} where page_sk = 0
  union all
  select 'dim_recipe', count(*), sum(case when recipe_id is null then 1 else 0 end) from {{ref "dim_recipe"}} where recipe_sk = 0
  union all
  select 'dim_time', count(*), sum(case when datetime_kst is null then 1 else 0 end) from {{ref "dim_time"}} where time_dim_key = 0
)
select * from zero_rows where zero_keys <> 1 or unknown_members <> 1
