/**
 * The event record of spec §1 and its one-line JSON form. Lines are built by string
 * concatenation rather than JSON.stringify of objects: it is several times faster, and
 * every value spliced in unescaped is an id, a number or a word from a fixed ASCII
 * vocabulary. Free text (Korean keywords, recipe categories) is escaped where the
 * property JSON is built.
 */
import { AB_SCENARIO, SITE_URL, VIEWED_PAGES, type AbGroup, type PageName } from './model.js';

export interface EventFields {
  event_name: string;
  /** Undefined only on the malformed lines that lack one. */
  event_id: string | undefined;
  user_id: string;
  anonymous_id: string;
  session_id: string;
  /** JSON object text. */
  context: string;
  /** JSON object text. */
  event_properties: string;
  timestamp: string;
  /** Whether context and event_properties are embedded as JSON-encoded strings, as the original producer did. */
  encoded: boolean;
}

export function serializeEvent(e: EventFields): string {
  const context = e.encoded ? JSON.stringify(e.context) : e.context;
  const properties = e.encoded ? JSON.stringify(e.event_properties) : e.event_properties;
  return (
    '{"event_name":"' + e.event_name +
    (e.event_id === undefined ? '' : '","event_id":"' + e.event_id) +
    '","user_id":"' + e.user_id +
    '","anonymous_id":"' + e.anonymous_id +
    '","session_id":"' + e.session_id +
    '","context":' + context +
    ',"event_properties":' + properties +
    ',"timestamp":"' + e.timestamp + '"}'
  );
}

const PAGE_FIELDS = new Map<PageName, string>(
  VIEWED_PAGES.values.map((name) => [
    name,
    `"page":{"name":"${name}","url":"${SITE_URL}${name}","path":"/${name}"}`,
  ]),
);

/** The `ab_test` member of a context during the test window, with its leading comma. */
export function abTestField(group: AbGroup, startDate: string, endDate: string): string {
  return `,"ab_test":{"scenario":"${AB_SCENARIO}","group":"${group}","start_date":"${startDate}","end_date":"${endDate}"}`;
}

/**
 * A context object: the page, the user's segment fields (pre-rendered per user), and the
 * ab_test member or '' outside the test window.
 */
export function contextJson(page: PageName, userFields: string, abTest: string): string {
  return '{' + PAGE_FIELDS.get(page) + ',' + userFields + abTest + '}';
}
