{{!--
  Gold keeps every silver event exactly once: event_ids missing from the fact or not in silver.
  On a scheduled run it checks the events that run wrote ({{written}}: silver's and the fact's new
  rows), each looked up in the other table on its own event date (silver's date is the fact's
  event_date, both the KST date of the event); `test --full` checks every event.
--}}
select 'missing_in_fact' as problem, s.event_id
from {{written "user_events_silver"}} as s
where not exists (select 1 from {{ref "fact_user_events"}} as f where f.event_date = s.date and f.event_id = s.event_id)
union all
select 'not_in_silver' as problem, f.event_id
from {{written "fact_user_events"}} as f
where not exists (select 1 from {{ref "user_events_silver"}} as s where s.date = f.event_date and s.event_id = f.event_id)
