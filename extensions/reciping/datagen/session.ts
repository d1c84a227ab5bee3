/**
 * The flow of one visit: which events a user's session consists of and when they
 * happen — a run of events 5–120 s apart moving through spec §1's transition map. This
 * is also where the A/B test acts: a view_ads is clicked with the click-through rate of
 * the user's group.
 *
 * Only the flow is decided here, into compact number arrays; the events' ids and
 * properties are rendered later, in time order, by render.ts. Keeping no strings for a
 * whole slice is what keeps the garbage collector (and the memory) out of the way.
 */
import {
  AFTER_UNCLICKED_AD,
  CLICK_FROM_LIST_PROBABILITY,
  CREATE_RECIPE_FROM_PROFILE_PROBABILITY,
  EVENT_GAP_MS,
  EVENT_NAMES,
  FALLBACK_EVENTS,
  FOLLOW_MAP_PROBABILITY,
  REACTIONS,
  REACTION_PROBABILITY,
  SESSION_EVENTS,
  SESSION_START,
  TRANSITIONS,
  VIEWED_PAGES,
  WEEKEND_SESSION_STRETCH,
  type EventName,
} from './model.js';
import type { Rng } from './random.js';
import type { User } from './users.js';

export interface AbWindow {
  /** First instant of the test, inclusive. */
  from: number;
  /** End of the test, exclusive. */
  to: number;
  startDate: string;
  endDate: string;
}

/** Where a session may go: when it starts, and where its events stop. */
export interface SessionFrame {
  /** Start instant for a session lasting at most `durationMs`. */
  place(rng: Rng, durationMs: number): number;
  /** Events at or after this instant are not emitted, and end the session. */
  limit: number;
  /** Saturday/Sunday sessions are longer. */
  weekend: boolean;
}

const EVENT_CODE = new Map<EventName, number>(EVENT_NAMES.map((name, code) => [name, code]));
const PROFILE_PAGE = VIEWED_PAGES.values.indexOf('profile');

/** The events planned for one slice, in planning order (session after session). */
export class SlicePlan {
  /** Per event: time (epoch ms), session index, EVENT_NAMES index, and the VIEWED_PAGES index of a view_page (else -1). */
  readonly times: number[] = [];
  readonly sessionOf: number[] = [];
  readonly names: number[] = [];
  readonly pages: number[] = [];
  /** Per session: the user, and the 64-bit seed (two words) its events' ids and properties are drawn from. */
  readonly users: User[] = [];
  readonly renderSeeds: [number, number][] = [];

  get size(): number {
    return this.times.length;
  }

  clear(): void {
    this.times.length = this.sessionOf.length = this.names.length = this.pages.length = 0;
    this.users.length = this.renderSeeds.length = 0;
  }

  /**
   * Plans one session of `user` into this plan, at most `maxEvents` events; returns how
   * many. A view_ads that is clicked is always followed by its click_ads, even past the
   * planned length, so the measured click-through rate is the configured one.
   */
  addSession(rng: Rng, user: User, frame: SessionFrame, ab: AbWindow, maxEvents: number): number {
    const [min, max] = SESSION_EVENTS[user.activity];
    let length = rng.int(min, max);
    if (frame.weekend) length = Math.round(length * rng.range(WEEKEND_SESSION_STRETCH[0], WEEKEND_SESSION_STRETCH[1]));
    // One gap per planned event: the last one leaves room for a final ad's click.
    const gaps: number[] = [];
    let duration = 0;
    for (let i = 0; i < length; i++) {
      const gap = rng.int(EVENT_GAP_MS.min, EVENT_GAP_MS.max);
      gaps.push(gap);
      duration += gap;
    }
    const session = this.users.length;
    this.users.push(user);
    this.renderSeeds.push([rng.next(), rng.next()]);

    let t = frame.place(rng, duration);
    let name = SESSION_START.sample(rng);
    let emitted = 0;
    for (let i = 0; t < frame.limit && emitted < maxEvents; i++) {
      const page = name === 'view_page' ? VIEWED_PAGES.sampleIndex(rng) : -1;
      // The fix of the original's defect: whether the ad is clicked depends on the A/B group.
      const clicked =
        name === 'view_ads' && rng.chance(user.rates[t >= ab.from && t < ab.to ? user.abGroup : 'control']);
      this.times.push(t);
      this.sessionOf.push(session);
      this.names.push(EVENT_CODE.get(name)!);
      this.pages.push(page);
      emitted++;
      if (i >= length - 1 && !clicked) break;
      name = nextEvent(rng, name, page, clicked);
      t += gaps[i];
    }
    return emitted;
  }
}

function nextEvent(rng: Rng, current: EventName, viewedPage: number, adClicked: boolean): EventName {
  if (current === 'view_ads') return adClicked ? 'click_ads' : AFTER_UNCLICKED_AD.sample(rng);
  if (current === 'view_recipe_list' && rng.chance(CLICK_FROM_LIST_PROBABILITY)) return 'click_recipe';
  if (current === 'click_recipe' && rng.chance(REACTION_PROBABILITY)) return REACTIONS.sample(rng);
  if (viewedPage === PROFILE_PAGE && rng.chance(CREATE_RECIPE_FROM_PROFILE_PROBABILITY)) return 'create_recipe_success';
  const map = TRANSITIONS[current];
  if (map !== undefined && rng.chance(FOLLOW_MAP_PROBABILITY)) return map.sample(rng);
  return rng.pick(FALLBACK_EVENTS);
}
