{{!-- args: date_expr --}}
{{!-- Whether a KST date lies in the A/B test window (vars ab_test_start .. ab_test_end, inclusive). --}}
({{date_expr}} between {{date_literal (var "ab_test_start")}} and {{date_literal (var "ab_test_end")}})
