{{!-- args: text --}}
{{!-- A DATE literal from 'YYYY-MM-DD' text (standard SQL, both engines). --}}
DATE '{{text}}'
