{{!-- args: event_name --}}
{{!-- Conversion events (spec §3): sign-in, bookmark, comment. --}}
({{event_name}} in ('auth_success', 'click_bookmark', 'create_comment'))
