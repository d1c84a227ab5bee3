{{!-- Week-over-week WAU growth per dimension value; partial weeks (days_with_data < 7) are flagged. --}}
select
  w.week_start,
  w.dimension,
  w.dimension_value,
  w.wau,
  w.days_with_data,
  w.days_with_data = 7 as is_complete_week,
  lag(w.wau) over (partition by w.dimension, w.dimension_value order by w.week_start) as previous_wau,
  {{pct "w.wau - lag(w.wau) over (partition by w.dimension, w.dimension_value order by w.week_start)" "lag(w.wau) over (partition by w.dimension, w.dimension_value order by w.week_start)"}} as wow_growth_pct
from {{ref "wau"}} as w
