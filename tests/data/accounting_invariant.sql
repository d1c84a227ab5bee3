{{!--
  Every bronze line is accounted for exactly once: each run's books balance (bronze = silver +
  quarantine + duplicates, duplicates recomputed from bronze itself), and the books summed over
  all runs equal the row counts of bronze, silver and quarantine, and bronze holds every line of
  the staged files it loaded (counted from the files). Returns the offending rows.
--}}
select 'run' as scope, r.accounted_through, r.bronze_rows, r.silver_rows, r.quarantined_rows, r.duplicates_dropped, r.new_events
from {{ref "pipeline_accounting_runs"}} as r
where not r.is_balanced or r.silver_rows <> r.new_events or r.quarantined_rows <> r.invalid_rows_in_bronze
union all
select 'total', b.last_ingestion_timestamp, b.bronze_rows, b.silver_rows, b.quarantined_rows, b.duplicates_dropped, CAST(NULL AS BIGINT)
from {{ref "pipeline_accounting"}} as b
where not b.is_balanced
