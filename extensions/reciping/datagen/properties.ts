/**
 * event_properties of the 12 event types (spec §1), as JSON object text. The session
 * decides what the user acts on (which recipe, which ad); the incidental values
 * (referrer, search keyword, filters, actions…) are drawn here.
 */
import {
  AD_CLICK_URL,
  AD_SERVING,
  AUTH_METHODS,
  BOOKMARK_ACTIONS,
  COMMENT_LENGTH,
  INGREDIENT_COUNT,
  LIKE_ACTIONS,
  REFERRERS,
  REFERRER_PROBABILITY,
  SEARCH_FILTER_COUNT,
  SEARCH_FILTER_PROBABILITY,
  SEARCH_KEYWORDS,
  SEARCH_KEYWORD_PROBABILITY,
  SEARCH_RESULT_COUNT,
  SEARCH_TYPES,
  TARGETING_TAGS,
  type AbGroup,
  type CookingStyle,
  type PageName,
} from './model.js';
import type { Rng } from './random.js';
import { DISH_TYPES, INGREDIENT_TYPES, METHOD_TYPES, SITUATION_TYPES } from './recipes.js';

/** The ad a view_ads showed; click_ads repeats it. */
export interface Ad {
  id: string;
  type: string;
  position: string;
}

const quote = (text: string): string => JSON.stringify(text);

const QUOTED_KEYWORDS = SEARCH_KEYWORDS.map(quote);
/** Search filters are 'axis:value' over the recipe master's category axes. */
const FILTER_AXES: readonly (readonly string[])[] = Object.entries({
  dish_type: DISH_TYPES,
  situation_type: SITUATION_TYPES,
  ingredient_type: INGREDIENT_TYPES,
  method_type: METHOD_TYPES,
}).map(([axis, categories]) => categories.values.map((value) => quote(`${axis}:${value}`)));

export function viewPageProperties(rng: Rng, page: PageName, recipeId: number): string {
  let json = '{"page_name":"' + page + '"';
  if (rng.chance(REFERRER_PROBABILITY)) json += ',"referrer":"' + rng.pick(REFERRERS) + '"';
  if (page === 'recipe_detail') json += ',"path":"/recipes/' + recipeId + '"';
  return json + '}';
}

export function clickAuthButtonProperties(type: string): string {
  return '{"type":"' + type + '"}';
}

export function authSuccessProperties(rng: Rng, type: string): string {
  return '{"method":"' + AUTH_METHODS.sample(rng) + '","type":"' + type + '"}';
}

export function searchRecipeProperties(rng: Rng): string {
  let json = '{"search_type":"' + rng.pick(SEARCH_TYPES) + '"';
  if (rng.chance(SEARCH_KEYWORD_PROBABILITY)) json += ',"search_keyword":' + rng.pick(QUOTED_KEYWORDS);
  if (rng.chance(SEARCH_FILTER_PROBABILITY)) {
    // Distinct axes: a partial Fisher–Yates shuffle of the four.
    const axes = [0, 1, 2, 3];
    const count = rng.int(SEARCH_FILTER_COUNT[0], SEARCH_FILTER_COUNT[1]);
    const filters: string[] = [];
    for (let i = 0; i < count; i++) {
      const j = rng.int(i, axes.length - 1);
      [axes[i], axes[j]] = [axes[j], axes[i]];
      filters.push(rng.pick(FILTER_AXES[axes[i]]));
    }
    json += ',"selected_filters":[' + filters.join(',') + ']';
  }
  return json + ',"result_count":' + rng.int(SEARCH_RESULT_COUNT[0], SEARCH_RESULT_COUNT[1]) + '}';
}

export function viewRecipeListProperties(listType: string, recipeIds: readonly number[]): string {
  return '{"list_type":"' + listType + '","displayed_recipe_ids":[' + recipeIds.join(',') + ']}';
}

export function clickRecipeProperties(recipeId: number, rank: number): string {
  return '{"recipe_id":' + recipeId + ',"rank":' + rank + '}';
}

export function clickBookmarkProperties(rng: Rng, recipeId: number): string {
  return '{"recipe_id":' + recipeId + ',"action":"' + BOOKMARK_ACTIONS.sample(rng) + '"}';
}

export function clickLikeProperties(rng: Rng, recipeId: number): string {
  return '{"recipe_id":' + recipeId + ',"action":"' + LIKE_ACTIONS.sample(rng) + '"}';
}

export function createCommentProperties(rng: Rng, recipeId: number): string {
  return '{"recipe_id":' + recipeId + ',"comment_length":' + rng.int(COMMENT_LENGTH[0], COMMENT_LENGTH[1]) + '}';
}

export function createRecipeSuccessProperties(rng: Rng, recipeId: number, category: string): string {
  return (
    '{"recipe_id":' +
    recipeId +
    ',"category":' +
    quote(category) +
    ',"ingredient_count":' +
    rng.int(INGREDIENT_COUNT[0], INGREDIENT_COUNT[1]) +
    '}'
  );
}

/**
 * view_ads; while the A/B test runs (group given) it also says how the ad was chosen:
 * behavioural targeting with tags for the user's cooking style, or random serving.
 */
export function viewAdsProperties(rng: Rng, ad: Ad, group: AbGroup | null, style: CookingStyle): string {
  let json = '{"ad_id":"' + ad.id + '","ad_type":"' + ad.type + '","position":"' + ad.position + '"';
  if (group !== null) {
    const serving = AD_SERVING[group];
    json +=
      ',"ad_targeting_method":"' +
      serving.method +
      '","personalization_score":' +
      rng.range(serving.score[0], serving.score[1]).toFixed(2);
    if (group === 'treatment') json += ',"targeting_tags":["' + TARGETING_TAGS[style].join('","') + '"]';
  }
  return json + '}';
}

export function clickAdsProperties(ad: Ad): string {
  return (
    '{"ad_id":"' +
    ad.id +
    '","ad_type":"' +
    ad.type +
    '","position":"' +
    ad.position +
    '","target_url":"' +
    AD_CLICK_URL +
    ad.id +
    '"}'
  );
}
