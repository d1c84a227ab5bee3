{{!-- Events per event type and their share of all events. --}}
with counts as (
  select
    e.event_name,
    e.event_category,
    count(*) as events,
    count(distinct f.user_dim_key) as users
  from {{ref "fact_user_events"}} as f
  join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
  join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
  where f.user_dim_key <> 0
  group by e.event_name, e.event_category
)
select
  c.event_name,
  c.event_category,
  c.events,
  c.users,
  {{pct "c.events" "sum(c.events) over ()"}} as share_pct
from counts as c
