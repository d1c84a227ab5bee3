{{!-- view_page events per page, with viewers and the average time until the next event. --}}
select
  p.page_name,
  p.page_url,
  count(*) as page_views,
  count(distinct f.user_dim_key) as users,
  count(distinct f.session_id) as sessions,
  round(avg(f.page_view_duration_seconds), 2) as avg_page_view_duration_seconds
from {{ref "fact_user_events"}} as f
join {{ref "dim_user"}} as u on u.user_sk = f.user_dim_key
join {{ref "dim_event"}} as e on e.event_sk = f.event_dim_key
join {{ref "dim_page"}} as p on p.page_sk = f.page_dim_key
where f.user_dim_key <> 0
  and e.event_name = 'view_page'
group by p.page_name, p.page_url
