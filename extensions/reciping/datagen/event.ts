/**
 * The event record of spec §1 and its one-line JSON form. Lines are built by string
 * concatenation rather than JSON.stringify of objects: it is several times faster, and
 * every value spliced in unescaped is an id, a number or a word from a fixed ASCII
 * vocabulary. Free text (Korean keywords, recipe categories) is escaped where the
 * property JSON is built.
 */
import { AB_SCENARIO, SITE_URL, VIEWED_PAGES, type AbGroup, type PageName } from './model.js';
import type { Profile } from './users.js';

export interface EventFields {
  event_name: string;
  /** Undefined only on the malformed lines that lack one. */
  event_id: string | undefined;
  user_id: string;
  anonymous_id: string;
  session_id: string;
  /** JSON text of the context: an object, or a string holding one (the original's double encoding). */
  context: string;
  /** JSON text of event_properties, encoded the same way as the context. */
  event_properties: string;
  timestamp: string;
}

export function serializeEvent(e: EventFields): string {
  return (
    '{"event_name":"' +
    e.event_name +
    (e.event_id === undefined ? '' : '","event_id":"' + e.event_id) +
    '","user_id":"' +
    e.user_id +
    '","anonymous_id":"' +
    e.anonymous_id +
    '","session_id":"' +
    e.session_id +
    '","context":' +
    e.context +
    ',"event_properties":' +
    e.event_properties +
    ',"timestamp":"' +
    e.timestamp +
    '"}'
  );
}

const PAGE_COUNT = VIEWED_PAGES.values.length;
const PAGE_INDEX = new Map<PageName, number>(VIEWED_PAGES.values.map((name, i) => [name, i]));
const PAGE_FIELDS = VIEWED_PAGES.values.map(
  (name) => `"page":{"name":"${name}","url":"${SITE_URL}${name}","path":"/${name}"}`,
);

/**
 * The context of an event, in either encoding. A context is fixed by the page, the
 * user's profile and the A/B group (or none, outside the test), so there are only a few
 * hundred distinct ones: each is built once and shared, which spares a JSON.stringify
 * and a dozen concatenations on every event.
 */
export class ContextCache {
  private readonly texts: (string | undefined)[] = [];
  private readonly abFields: Record<AbGroup, string>;

  constructor(startDate: string, endDate: string) {
    const field = (group: AbGroup) =>
      `,"ab_test":{"scenario":"${AB_SCENARIO}","group":"${group}","start_date":"${startDate}","end_date":"${endDate}"}`;
    this.abFields = { treatment: field('treatment'), control: field('control') };
  }

  get(page: PageName, profile: Profile, group: AbGroup | null, encoded: boolean): string {
    const ab = group === null ? 0 : group === 'treatment' ? 1 : 2;
    const slot = (((profile.id * PAGE_COUNT + PAGE_INDEX.get(page)!) * 3 + ab) << 1) | (encoded ? 1 : 0);
    let text = this.texts[slot];
    if (text === undefined) {
      const plain =
        '{' +
        PAGE_FIELDS[PAGE_INDEX.get(page)!] +
        ',' +
        profile.contextFields +
        (group === null ? '' : this.abFields[group]) +
        '}';
      this.texts[slot & ~1] = plain;
      this.texts[slot | 1] = JSON.stringify(plain);
      text = this.texts[slot]!;
    }
    return text;
  }
}
