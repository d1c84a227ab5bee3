{{!-- Freshness of the gold layer: the last fact load, the newest event hour, row counts. --}}
select
  max(f.updated_at) as latest_load_time,
  min(f.created_at) as first_load_time,
  max(t.datetime_kst) as latest_event_hour_kst,
  max(f.event_date) as latest_event_date,
  count(*) as fact_rows,
  (select max(b.ingestion_timestamp) from {{ref "bronze_events"}} as b) as latest_bronze_ingestion
from {{ref "fact_user_events"}} as f
join {{ref "dim_time"}} as t on t.time_dim_key = f.time_dim_key
