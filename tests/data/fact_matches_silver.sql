{{!-- Gold keeps every silver event exactly once: event_ids missing from the fact or not in silver. --}}
select 'missing_in_fact' as problem, s.event_id
from {{ref "user_events_silver"}} as s
where not exists (select 1 from {{ref "fact_user_events"}} as f where f.event_id = s.event_id)
union all
select 'not_in_silver' as problem, f.event_id
from {{ref "fact_user_events"}} as f
where not exists (select 1 from {{ref "user_events_silver"}} as s where s.event_id = f.event_id)
