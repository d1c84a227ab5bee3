{{!-- args: numerator denominator digits=2 --}}
{{!-- 100 * numerator / denominator as DOUBLE, rounded; NULL when the denominator is 0. --}}
round(100.0 * CAST({{numerator}} AS DOUBLE) / nullif(CAST({{denominator}} AS DOUBLE), 0), {{digits}})
