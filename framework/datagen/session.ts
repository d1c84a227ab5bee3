/**
 * One visit of one user: a run of events 5–120 s apart that moves through spec §1's
 * transition map, carrying what the user is looking at (page, recipe, list, ad) from
 * event to event. This is where the A/B test acts: a view_ads is clicked with the
 * user's group's click-through rate.
 */
import { abTestField, contextJson, serializeEvent } from './event.js';
import {
  AD_ID_RANGE, AD_POSITIONS, AD_TYPES, AFTER_UNCLICKED_AD, AUTH_TYPES, BROWSE_LIST_TYPES, CLICK_FROM_LIST_PROBABILITY,
  CREATE_RECIPE_FROM_PROFILE_PROBABILITY, DISPLAYED_RECIPES, EVENT_GAP_MS, FALLBACK_EVENTS, FOLLOW_MAP_PROBABILITY,
  REACTIONS, REACTION_PROBABILITY, SESSION_EVENTS, SESSION_START, TRANSITIONS, VIEWED_PAGES, WEEKEND_SESSION_STRETCH,
  type AbGroup, type EventName, type PageName,
} from './model.js';
import * as props from './properties.js';
import type { Rng } from './random.js';
import type { RecipePicker } from './recipe-picker.js';
import { formatKst } from './time.js';
import type { User } from './users.js';

/** A line ready for staging: where it goes (partition, and the bucket of `time`) and when it sorts. */
export interface StagedLine {
  /** Epoch ms: the event time, or for a re-delivery the time it was staged at. */
  time: number;
  partition: number;
  line: string;
}

export interface AbWindow {
  /** First instant of the test, inclusive. */
  from: number;
  /** End of the test, exclusive. */
  to: number;
  startDate: string;
  endDate: string;
}

/** Where a session may go: when it starts, and where events stop. */
export interface SessionFrame {
  /** Start instant for a session lasting `durationMs` (at most, if it ends with an ad click). */
  place(rng: Rng, durationMs: number): number;
  /** Events at or after this instant are not emitted, and end the session. */
  limit: number;
  /** Saturday/Sunday sessions are longer. */
  weekend: boolean;
}

/** Rank on a displayed list: the top of a list is clicked more. */
const LIST_RANK_SKEW = 1.5;

export class SessionSimulator {
  private readonly abFields: Record<AbGroup, string>;
  // The state of the session being simulated.
  private rng!: Rng;
  private user!: User;
  private sessionId = '';
  private page: PageName = 'start';
  private previous: EventName | undefined;
  private recipeId = 0;
  private list: number[] = [];
  private authType = '';
  private ad: props.Ad = { id: '', type: '', position: '' };
  private adClicked = false;

  constructor(
    private readonly picker: RecipePicker,
    private readonly ab: AbWindow,
    private readonly encodedRate: number,
  ) {
    this.abFields = {
      treatment: abTestField('treatment', ab.startDate, ab.endDate),
      control: abTestField('control', ab.startDate, ab.endDate),
    };
  }

  /** Simulates one session, appending at most `maxEvents` events to `out`; returns how many. */
  run(rng: Rng, user: User, frame: SessionFrame, maxEvents: number, out: StagedLine[]): number {
    const [min, max] = SESSION_EVENTS[user.activity];
    let length = rng.int(min, max);
    if (frame.weekend) length = Math.round(length * rng.range(WEEKEND_SESSION_STRETCH[0], WEEKEND_SESSION_STRETCH[1]));
    // One gap more than the planned events: room for the click that may follow a final view_ads.
    const gaps: number[] = [];
    let duration = 0;
    for (let i = 0; i < length; i++) {
      const gap = rng.int(EVENT_GAP_MS.min, EVENT_GAP_MS.max);
      gaps.push(gap);
      duration += gap;
    }
    this.begin(rng, user);
    let t = frame.place(rng, duration);
    let name = SESSION_START.sample(rng);
    let emitted = 0;
    for (let i = 0; t < frame.limit && emitted < maxEvents; i++) {
      out.push(this.emit(name, t));
      emitted++;
      // Past the planned length only the click of a clicked ad still happens.
      if (i >= length - 1 && !(name === 'view_ads' && this.adClicked)) break;
      name = this.next(name);
      t += gaps[i];
    }
    return emitted;
  }

  private begin(rng: Rng, user: User): void {
    this.rng = rng;
    this.user = user;
    this.sessionId = rng.uuid();
    this.page = 'start';
    this.previous = undefined;
    this.recipeId = 0;
    this.list = [];
    this.adClicked = false;
  }

  private next(current: EventName): EventName {
    const rng = this.rng;
    if (current === 'view_ads') return this.adClicked ? 'click_ads' : AFTER_UNCLICKED_AD.sample(rng);
    if (current === 'view_recipe_list' && rng.chance(CLICK_FROM_LIST_PROBABILITY)) return 'click_recipe';
    if (current === 'click_recipe' && rng.chance(REACTION_PROBABILITY)) return REACTIONS.sample(rng);
    if (current === 'view_page' && this.page === 'profile' && rng.chance(CREATE_RECIPE_FROM_PROFILE_PROBABILITY)) {
      return 'create_recipe_success';
    }
    const map = TRANSITIONS[current];
    if (map !== undefined && rng.chance(FOLLOW_MAP_PROBABILITY)) return map.sample(rng);
    return rng.pick(FALLBACK_EVENTS);
  }

  private currentRecipe(): number {
    if (this.recipeId === 0) this.recipeId = this.picker.pick(this.rng, this.user.style);
    return this.recipeId;
  }

  /** Builds one event, updating the session state (the page the user is on, the recipe, the ad…). */
  private emit(name: EventName, t: number): StagedLine {
    const rng = this.rng;
    const user = this.user;
    const inTest = t >= this.ab.from && t < this.ab.to;
    // The page the event happens on; some events then move the user to another page.
    let page = this.page;
    let properties: string;
    switch (name) {
      case 'view_page':
        page = this.page = VIEWED_PAGES.sample(rng);
        properties = props.viewPageProperties(rng, page, page === 'recipe_detail' ? this.currentRecipe() : 0);
        break;
      case 'click_auth_button':
        this.authType = AUTH_TYPES.sample(rng);
        properties = props.clickAuthButtonProperties(this.authType);
        break;
      case 'auth_success':
        properties = props.authSuccessProperties(rng, this.authType);
        break;
      case 'search_recipe':
        properties = props.searchRecipeProperties(rng);
        this.page = 'search_result';
        this.list = [];
        break;
      case 'view_recipe_list': {
        const listType = this.previous === 'search_recipe' ? 'search_result' : rng.pick(BROWSE_LIST_TYPES);
        this.list = this.picker.pickList(rng, user.style, rng.int(DISPLAYED_RECIPES[0], DISPLAYED_RECIPES[1]));
        properties = props.viewRecipeListProperties(listType, this.list);
        break;
      }
      case 'click_recipe': {
        // From the list on screen when there is one, else (straight from a search) a new pick.
        let rank: number;
        if (this.list.length > 0) {
          const index = Math.floor(this.list.length * rng.float() ** LIST_RANK_SKEW);
          this.recipeId = this.list[index];
          rank = index + 1;
        } else {
          this.recipeId = this.picker.pick(rng, user.style);
          rank = rng.int(1, DISPLAYED_RECIPES[1]);
        }
        properties = props.clickRecipeProperties(this.recipeId, rank);
        this.page = 'recipe_detail';
        break;
      }
      case 'click_bookmark':
        properties = props.clickBookmarkProperties(rng, this.currentRecipe());
        break;
      case 'click_like':
        properties = props.clickLikeProperties(rng, this.currentRecipe());
        break;
      case 'create_comment':
        properties = props.createCommentProperties(rng, this.currentRecipe());
        break;
      case 'create_recipe_success': {
        // The published recipe joins the catalogue: it is drawn from the master, so its id resolves in dim_recipe.
        this.recipeId = this.picker.pick(rng, user.style);
        properties = props.createRecipeSuccessProperties(rng, this.recipeId, this.picker.recipe(this.recipeId).dish_type);
        break;
      }
      case 'view_ads': {
        this.ad = { id: 'ad_' + rng.int(AD_ID_RANGE[0], AD_ID_RANGE[1]), type: rng.pick(AD_TYPES), position: rng.pick(AD_POSITIONS) };
        // The fix of the original's defect: the click depends on the A/B group.
        const group = inTest ? user.abGroup : null;
        this.adClicked = rng.chance(user.rates[group ?? 'control']);
        properties = props.viewAdsProperties(rng, this.ad, group, user.cookingStyle);
        break;
      }
      case 'click_ads':
        properties = props.clickAdsProperties(this.ad);
        break;
    }
    this.previous = name;
    const line = serializeEvent({
      event_name: name,
      event_id: rng.uuid(),
      user_id: user.userId,
      anonymous_id: user.anonymousId,
      session_id: this.sessionId,
      context: contextJson(page, user.contextFields, inTest ? this.abFields[user.abGroup] : ''),
      event_properties: properties,
      timestamp: formatKst(t),
      encoded: rng.chance(this.encodedRate),
    });
    Number(line);
    return { time: t, partition: user.partition, line };
  }
}
