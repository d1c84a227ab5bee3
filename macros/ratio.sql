{{!-- args: numerator denominator digits=4 --}}
{{!-- numerator / denominator as DOUBLE, rounded; NULL when the denominator is 0 (no integer division on Trino). --}}
round(CAST({{numerator}} AS DOUBLE) / nullif(CAST({{denominator}} AS DOUBLE), 0), {{digits}})
