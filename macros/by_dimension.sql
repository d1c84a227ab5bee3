{{!-- args: segment style ab_group total --}}
{{!-- In a query grouped by grouping sets of user_segment, cooking_style and ab_test_group (one per set, or none): the expression for the set a row belongs to. --}}
case
  when grouping(user_segment) = 0 then {{segment}}
  when grouping(cooking_style) = 0 then {{style}}
  when grouping(ab_test_group) = 0 then {{ab_group}}
  else {{total}}
end
