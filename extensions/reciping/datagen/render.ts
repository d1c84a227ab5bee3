/**
 * Turns planned events into lines: ids, context and event_properties. Each session
 * renders from its own seeded stream and carries what the user is looking at (page,
 * recipe, displayed list, ad) from one event to the next, so sessions can be rendered
 * interleaved, in global time order, with the same result as one after another.
 */
import { ContextCache, serializeEvent } from './event.js';
import {
  AD_ID_RANGE,
  AD_POSITIONS,
  AD_TYPES,
  AUTH_TYPES,
  BROWSE_LIST_TYPES,
  DISPLAYED_RECIPES,
  type EventName,
  type PageName,
} from './model.js';
import * as props from './properties.js';
import { Rng } from './random.js';
import type { RecipePicker } from './recipe-picker.js';
import type { AbWindow } from './session.js';
import { formatKst } from './time.js';
import type { User } from './users.js';

/** Rank on a displayed list: the top of a list is clicked more. */
const LIST_RANK_SKEW = 1.5;

export class SessionState {
  readonly rng: Rng;
  readonly sessionId: string;
  /** The page the user is on. */
  page: PageName = 'start';
  previous: EventName | undefined = undefined;
  /** The recipe in view (0: none yet); carried through the session. */
  recipeId = 0;
  /** The recipe ids of the list on screen, if any. */
  list: number[] = [];
  authType = '';
  /** The last ad shown; carried to its click. */
  ad: props.Ad = { id: '', type: '', position: '' };

  constructor(
    readonly user: User,
    seed: readonly [number, number],
  ) {
    this.rng = new Rng(seed[0], seed[1]);
    this.sessionId = this.rng.uuid();
  }
}

export class EventRenderer {
  private readonly contexts: ContextCache;

  constructor(
    private readonly picker: RecipePicker,
    private readonly ab: AbWindow,
    private readonly encodedRate: number,
  ) {
    this.contexts = new ContextCache(ab.startDate, ab.endDate);
  }

  /** The line of one event at `t`; `viewedPage` is the page a view_page shows. */
  render(session: SessionState, name: EventName, viewedPage: PageName | undefined, t: number): string {
    const rng = session.rng;
    const user = session.user;
    const group = t >= this.ab.from && t < this.ab.to ? user.abGroup : null;
    // The page the event happens on; some events then take the user to another page.
    const page = viewedPage ?? session.page;
    let properties: string;
    switch (name) {
      case 'view_page':
        properties = props.viewPageProperties(rng, page, page === 'recipe_detail' ? this.recipeInView(session) : 0);
        session.page = page;
        break;
      case 'click_auth_button':
        session.authType = AUTH_TYPES.sample(rng);
        properties = props.clickAuthButtonProperties(session.authType);
        break;
      case 'auth_success':
        properties = props.authSuccessProperties(rng, session.authType);
        break;
      case 'search_recipe':
        properties = props.searchRecipeProperties(rng);
        session.page = 'search_result';
        session.list = [];
        break;
      case 'view_recipe_list': {
        const listType = session.previous === 'search_recipe' ? 'search_result' : rng.pick(BROWSE_LIST_TYPES);
        session.list = this.picker.pickList(rng, user.style, rng.int(DISPLAYED_RECIPES[0], DISPLAYED_RECIPES[1]));
        properties = props.viewRecipeListProperties(listType, session.list);
        break;
      }
      case 'click_recipe': {
        // From the list on screen when there is one, else (straight from a search) a new pick.
        let rank: number;
        if (session.list.length > 0) {
          const index = Math.floor(session.list.length * rng.float() ** LIST_RANK_SKEW);
          session.recipeId = session.list[index];
          rank = index + 1;
        } else {
          session.recipeId = this.picker.pick(rng, user.style);
          rank = rng.int(1, DISPLAYED_RECIPES[1]);
        }
        properties = props.clickRecipeProperties(session.recipeId, rank);
        session.page = 'recipe_detail';
        break;
      }
      case 'click_bookmark':
        properties = props.clickBookmarkProperties(rng, this.recipeInView(session));
        break;
      case 'click_like':
        properties = props.clickLikeProperties(rng, this.recipeInView(session));
        break;
      case 'create_comment':
        properties = props.createCommentProperties(rng, this.recipeInView(session));
        break;
      case 'create_recipe_success':
        // The published recipe is drawn from the master, so its id resolves in dim_recipe.
        session.recipeId = this.picker.pick(rng, user.style);
        properties = props.createRecipeSuccessProperties(
          rng,
          session.recipeId,
          this.picker.recipe(session.recipeId).dish_type,
        );
        break;
      case 'view_ads':
        session.ad = {
          id: 'ad_' + rng.int(AD_ID_RANGE[0], AD_ID_RANGE[1]),
          type: rng.pick(AD_TYPES),
          position: rng.pick(AD_POSITIONS),
        };
        properties = props.viewAdsProperties(rng, session.ad, group, user.cookingStyle);
        break;
      case 'click_ads':
        properties = props.clickAdsProperties(session.ad);
        break;
    }
    session.previous = name;
    const eventId = rng.uuid();
    const encoded = rng.chance(this.encodedRate);
    return serializeEvent({
      event_name: name,
      event_id: eventId,
      user_id: user.userId,
      anonymous_id: user.anonymousId,
      session_id: session.sessionId,
      context: this.contexts.get(page, user.profile, group, encoded),
      event_properties: encoded ? JSON.stringify(properties) : properties,
      timestamp: formatKst(t),
    });
  }

  private recipeInView(session: SessionState): number {
    if (session.recipeId === 0) session.recipeId = this.picker.pick(session.rng, session.user.style);
    return session.recipeId;
  }
}
