/**
 * The shape of generated events (spec §1) and the flow of sessions, checked on every
 * line of a six-day bulk run that straddles the end of the A/B test.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, recipeMaster, type GenerateStats } from '../../../extensions/reciping/datagen/index.js';
import {
  DISH_TYPES, INGREDIENT_TYPES, METHOD_TYPES, SITUATION_TYPES,
} from '../../../extensions/reciping/datagen/recipes.js';
import { TRANSITIONS, FALLBACK_EVENTS, TARGETING_TAGS, type EventName } from '../../../extensions/reciping/datagen/model.js';
import { BASE, isUuid4, kstParts, parseEvent, stream, type Event } from './helpers.js';

const PAGES = ['start', 'main', 'recipe_detail', 'profile', 'search_result'];
const SEGMENTS = ['FEMALE_20S', 'FEMALE_30S', 'FEMALE_40_PLUS', 'MALE_20S', 'MALE_30S', 'MALE_40_PLUS'];
const ACTIVITY = ['POWER_USER', 'ACTIVE_EXPLORER', 'PASSIVE_BROWSER'];
const STYLES = ['DESSERT_FOCUSED', 'HEALTHY_CONSCIOUS', 'COMFORT_FOOD', 'QUICK_CONVENIENT', 'DIVERSE_EXPLORER'];
const KEYWORDS = ['치킨', '파스타', '샐러드', '스테이크', '케이크', '볶음밥', '국물요리'];
const FILTER_VALUES: Record<string, readonly string[]> = {
  dish_type: DISH_TYPES.values, situation_type: SITUATION_TYPES.values,
  ingredient_type: INGREDIENT_TYPES.values, method_type: METHOD_TYPES.values,
};

/** Spec §1, computed independently: treatment when md5(user_id) read as an integer is even. */
const abGroup = (userId: string) =>
  BigInt(`0x${createHash('md5').update(userId).digest('hex')}`) % 2n === 0n ? 'treatment' : 'control';

const master = new Map(recipeMaster().map((r) => [r.recipe_id, r]));
const isRecipe = (id: unknown) => typeof id === 'number' && master.has(id);
const oneOf = (values: readonly unknown[]) => (value: unknown) => values.includes(value);
const intIn = (min: number, max: number) => (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** Per event type: each allowed property and its check; `?` marks optional ones. */
const PROPERTIES: Record<EventName, Record<string, (value: unknown, e: Event) => boolean>> = {
  view_page: {
    page_name: oneOf(PAGES),
    'referrer?': oneOf(['google.com', 'naver.com', '']),
    'path?': (value, e) => e.event_properties.page_name === 'recipe_detail' && /^\/recipes\/\d+$/.test(String(value)) && isRecipe(Number(String(value).slice(9))),
  },
  click_auth_button: { type: oneOf(['signup', 'login']) },
  auth_success: { method: oneOf(['email', 'kakao', 'google', 'naver']), type: oneOf(['signup', 'login']) },
  search_recipe: {
    search_type: oneOf(['category', 'ingredient', 'menu']),
    'search_keyword?': oneOf(KEYWORDS),
    'selected_filters?': (value) => {
      if (!Array.isArray(value) || value.length < 1 || value.length > 4) return false;
      const axes = value.map((filter: string) => filter.split(':')[0]);
      return new Set(axes).size === axes.length && value.every((filter: string) => {
        const [axis, category] = filter.split(':');
        return FILTER_VALUES[axis]?.includes(category) ?? false;
      });
    },
    result_count: intIn(1, 500),
  },
  view_recipe_list: {
    list_type: oneOf(['popular', 'recommended', 'search_result', 'trending']),
    displayed_recipe_ids: (value) => Array.isArray(value) && value.length >= 5 && value.length <= 20 && value.every(isRecipe) && new Set(value).size === value.length,
  },
  click_recipe: { recipe_id: isRecipe, rank: intIn(1, 20) },
  click_bookmark: { recipe_id: isRecipe, action: oneOf(['add', 'remove']) },
  click_like: { recipe_id: isRecipe, action: oneOf(['like', 'unlike']) },
  create_comment: { recipe_id: isRecipe, comment_length: intIn(10, 200) },
  create_recipe_success: {
    recipe_id: isRecipe,
    category: (value, e) => value === master.get(e.event_properties.recipe_id as number)?.dish_type,
    ingredient_count: intIn(3, 15),
  },
  view_ads: {
    ad_id: (value) => /^ad_[1-9]\d{3}$/.test(String(value)),
    ad_type: oneOf(['banner', 'video', 'native', 'sponsored_recipe']),
    position: oneOf(['top', 'middle', 'bottom', 'sidebar', 'recipe_detail']),
    'ad_targeting_method?': (value, e) =>
      value === (e.context.ab_test?.group === 'treatment' ? 'behavioral_targeting' : 'random_serving'),
    'personalization_score?': (value, e) =>
      typeof value === 'number' && (e.context.ab_test?.group === 'treatment' ? value >= 0.7 && value <= 0.95 : value >= 0.1 && value <= 0.3),
    'targeting_tags?': (value, e) =>
      e.context.ab_test?.group === 'treatment' && JSON.stringify(value) === JSON.stringify(TARGETING_TAGS[e.context.cooking_style as keyof typeof TARGETING_TAGS]),
  },
  click_ads: {
    ad_id: (value) => /^ad_\d{4}$/.test(String(value)),
    ad_type: oneOf(['banner', 'video', 'native', 'sponsored_recipe']),
    position: oneOf(['top', 'middle', 'bottom', 'sidebar', 'recipe_detail']),
    target_url: (value, e) => value === `https://ads.reciping.co.kr/click/${e.event_properties.ad_id}`,
  },
};

/** Edges a session may take: spec §1's map, the fallback, and the one documented extension. */
function allowed(from: EventName, to: EventName, previous: Event): boolean {
  if (from === 'view_ads') return ['click_ads', 'view_page', 'view_recipe_list'].includes(to);
  if (to === 'create_recipe_success') return from === 'view_page' && previous.event_properties.page_name === 'profile';
  const special = (from === 'view_recipe_list' && to === 'click_recipe') ||
    (from === 'click_recipe' && ['click_bookmark', 'click_like', 'create_comment'].includes(to));
  return special || (TRANSITIONS[from]?.values.includes(to) ?? false) || FALLBACK_EVENTS.includes(to);
}

/** Collects failed checks, so a run over 60,000 events makes one assertion rather than 60,000. */
class Problems {
  readonly found: string[] = [];
  check(ok: boolean, what: () => string): void {
    if (!ok && this.found.length < 20) this.found.push(what());
  }
}

describe('generated events (bulk 2025-08-18 .. 2025-08-23)', () => {
  let stats: GenerateStats;
  const events: Event[] = [];
  let invalid = 0;

  beforeAll(async () => {
    const seen = new Set<string>();
    stats = await stream({ ...BASE, mode: 'bulk', start: '2025-08-18', end: '2025-08-23', events: 60_000 }, (line) => {
      const event = parseEvent(line);
      if (event === null) invalid++;
      else if (!seen.has(event.event_id)) {
        seen.add(event.event_id);
        events.push(event);
      }
    });
    events.sort((a, b) => a.time - b.time);
  });

  it('has exactly the requested valid events, all inside the range', () => {
    expect(stats.events).toBe(60_000);
    expect(events).toHaveLength(60_000);
    expect(invalid).toBe(stats.malformed);
    expect(kstParts(events[0].time).date >= '2025-08-18').toBe(true);
    expect(kstParts(events.at(-1)!.time).date <= '2025-08-23').toBe(true);
    expect(stats.firstEventTime).toBe(events[0].timestamp);
    expect(stats.lastEventTime).toBe(events.at(-1)!.timestamp);
  });

  it('uses all 12 event types', () => {
    expect(new Set(events.map((e) => e.event_name))).toEqual(new Set(EVENT_NAMES));
  });

  it('fills the top-level fields as spec §1 says', () => {
    const problems = new Problems();
    for (const e of events) {
      problems.check(isUuid4(e.event_id) && isUuid4(e.anonymous_id) && isUuid4(e.session_id), () => `ids of ${e.event_id}`);
      problems.check(/^[1-9]\d{5}$/.test(e.user_id), () => `user_id ${e.user_id}`);
    }
    expect(problems.found).toEqual([]);
  });

  it('fills context as spec §1 says, with ab_test only during the test and by the md5 rule', () => {
    const problems = new Problems();
    const groups = new Map<string, string>();
    for (const e of events) {
      const { page, user_segment, activity_level, cooking_style, ab_test, ...rest } = e.context;
      const id = () => `${e.event_id}: ${JSON.stringify(e.context)}`;
      problems.check(Object.keys(rest).length === 0, id);
      problems.check(
        PAGES.includes(page.name) && JSON.stringify(page) === JSON.stringify({ name: page.name, url: `https://reciping.co.kr/${page.name}`, path: `/${page.name}` }),
        id,
      );
      problems.check(SEGMENTS.includes(user_segment) && ACTIVITY.includes(activity_level) && STYLES.includes(cooking_style), id);
      if (kstParts(e.time).date <= '2025-08-22') {
        if (!groups.has(e.user_id)) groups.set(e.user_id, abGroup(e.user_id));
        problems.check(
          JSON.stringify(ab_test) === JSON.stringify({
            scenario: 'BEHAVIORAL_TARGETING_MVP_V1', group: groups.get(e.user_id), start_date: '2025-08-08', end_date: '2025-08-22',
          }),
          id,
        );
      } else {
        problems.check(ab_test === undefined, id);
      }
    }
    expect(problems.found).toEqual([]);
  });

  it('fills event_properties of each type as spec §1 says, with recipe ids from the master', () => {
    const problems = new Problems();
    for (const e of events) {
      const checks = PROPERTIES[e.event_name as EventName];
      for (const [key, value] of Object.entries(e.event_properties)) {
        const check = checks[key] ?? checks[`${key}?`];
        problems.check(check !== undefined && check(value, e), () => `${e.event_name}.${key} = ${JSON.stringify(value)}`);
      }
      for (const key of Object.keys(checks).filter((k) => !k.endsWith('?'))) {
        problems.check(key in e.event_properties, () => `${e.event_name} without ${key}`);
      }
    }
    expect(problems.found).toEqual([]);
  });

  it('embeds context and event_properties JSON-encoded in about half of the events', () => {
    const encoded = events.filter((e) => e.encoded).length / events.length;
    expect(encoded).toBeGreaterThan(0.48);
    expect(encoded).toBeLessThan(0.52);
  });

  it('keeps a user the same person: one anonymous_id and one profile per user_id', () => {
    const problems = new Problems();
    const users = new Map<string, string>();
    for (const e of events) {
      const profile = [e.anonymous_id, e.context.user_segment, e.context.activity_level, e.context.cooking_style].join('/');
      problems.check((users.get(e.user_id) ?? profile) === profile, () => `user ${e.user_id}`);
      users.set(e.user_id, profile);
    }
    expect(problems.found).toEqual([]);
  });

  it('runs sessions through the transition map, 5–120 s apart, carrying recipe and ad', () => {
    const problems = new Problems();
    const sessions = new Map<string, Event[]>();
    for (const e of events) {
      const session = sessions.get(e.session_id);
      if (session) session.push(e);
      else sessions.set(e.session_id, [e]);
    }
    expect(sessions.size).toBeGreaterThan(5000);
    for (const session of sessions.values()) {
      const id = () => session[0].session_id;
      problems.check(['view_page', 'click_auth_button'].includes(session[0].event_name), id);
      problems.check(new Set(session.map((e) => e.user_id)).size === 1, id);
      for (let i = 1; i < session.length; i++) {
        const [previous, current] = [session[i - 1], session[i]];
        const gap = current.time - previous.time;
        const [from, to] = [previous.event_name as EventName, current.event_name as EventName];
        problems.check(gap >= 5_000 && gap <= 120_000, () => `gap ${gap} in ${id()}`);
        problems.check(allowed(from, to, previous), () => `${from} → ${to} in ${id()}`);
        const props = current.event_properties;
        const before = previous.event_properties;
        if (to === 'click_ads') {
          problems.check(from === 'view_ads' && props.ad_id === before.ad_id && props.ad_type === before.ad_type && props.position === before.position, id);
        }
        if (to === 'click_recipe' && from === 'view_recipe_list') {
          problems.check(before.displayed_recipe_ids[props.rank - 1] === props.recipe_id, id);
        }
        if (['click_bookmark', 'click_like', 'create_comment'].includes(to) && from === 'click_recipe') {
          problems.check(props.recipe_id === before.recipe_id, id);
        }
      }
    }
    expect(problems.found).toEqual([]);
  });
});
