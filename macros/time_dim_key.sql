{{!-- args: ts --}}
{{!-- yyyyMMddHH of a (KST, naive) timestamp as BIGINT: the key of dim_time. --}}
CAST(extract(year from {{ts}}) * 1000000 + extract(month from {{ts}}) * 10000 + extract(day from {{ts}}) * 100 + extract(hour from {{ts}}) AS BIGINT)
