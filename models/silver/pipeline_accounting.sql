{{!--
  Where every bronze line went, over all runs: the per-run books (pipeline_accounting_runs) summed.
  is_balanced holds when every run balanced and the sums match the tables' own row counts, so a
  row lost or added outside the books (a manual delete, a half-applied run) shows here too; and
  when bronze holds every line of the staged files it loaded, counted from the files themselves
  by the file ledger, so a staged line that never reached bronze (a file that grew after it was
  loaded, a load that kept fewer lines than its file had) shows as well.
--}}
with books as (
  select
    coalesce(sum(r.bronze_rows), 0) as bronze_rows,
    coalesce(sum(r.bronze_files), 0) as bronze_files,
    coalesce(sum(r.silver_rows), 0) as silver_rows,
    coalesce(sum(r.quarantined_rows), 0) as quarantined_rows,
    coalesce(sum(r.duplicates_dropped), 0) as duplicates_dropped,
    coalesce(sum(r.invalid_rows_in_bronze), 0) as invalid_rows_in_bronze,
    coalesce(sum(case when r.is_balanced then 0 else 1 end), 0) as unbalanced_runs,
    count(*) as runs,
    max(r.accounted_through) as last_ingestion_timestamp
  from {{ref "pipeline_accounting_runs"}} as r
),
tables as (
  select
    (select count(*) from {{ref "bronze_events"}}) as bronze_table_rows,
    (select count(*) from {{ref "user_events_silver"}}) as silver_table_rows,
    (select count(*) from {{ref "user_events_quarantine"}}) as quarantine_table_rows,
    (select coalesce(sum(f.staged_rows), 0) from {{loaded_files "bronze_events"}} as f) as staged_lines
)
select
  b.bronze_rows,
  b.bronze_files,
  t.staged_lines,
  b.silver_rows,
  b.quarantined_rows,
  b.duplicates_dropped,
  b.invalid_rows_in_bronze,
  b.runs,
  b.unbalanced_runs = 0
    and b.bronze_rows = t.bronze_table_rows
    and b.silver_rows = t.silver_table_rows
    and b.quarantined_rows = t.quarantine_table_rows
    and t.staged_lines = t.bronze_table_rows as is_balanced,
  {{pct "b.silver_rows" "b.bronze_rows" "3"}} as silver_retention_pct,
  b.last_ingestion_timestamp
from books as b
cross join tables as t
