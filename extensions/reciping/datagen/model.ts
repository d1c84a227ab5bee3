/**
 * The behaviour model of spec §1 as data: who the users are, when they come, how a
 * session moves from event to event, which values event properties take, and the ad
 * click-through rates of the A/B test. The simulation code reads only these constants,
 * so a change of model is a change here.
 */
import { Weighted } from './random.js';
import type { Recipe } from './recipes.js';

// ---------------------------------------------------------------- users

export type Segment = 'FEMALE_20S' | 'FEMALE_30S' | 'FEMALE_40_PLUS' | 'MALE_20S' | 'MALE_30S' | 'MALE_40_PLUS';
export const SEGMENTS = new Weighted<Segment>([
  ['FEMALE_20S', 0.142],
  ['FEMALE_30S', 0.207],
  ['FEMALE_40_PLUS', 0.356],
  ['MALE_20S', 0.062],
  ['MALE_30S', 0.085],
  ['MALE_40_PLUS', 0.148],
]);

export type ActivityLevel = 'POWER_USER' | 'ACTIVE_EXPLORER' | 'PASSIVE_BROWSER';
export const ACTIVITY_LEVELS = new Weighted<ActivityLevel>([
  ['POWER_USER', 0.1],
  ['ACTIVE_EXPLORER', 0.6],
  ['PASSIVE_BROWSER', 0.3],
]);

/** Events per session by activity level, inclusive range. */
export const SESSION_EVENTS: Record<ActivityLevel, readonly [number, number]> = {
  POWER_USER: [8, 12],
  ACTIVE_EXPLORER: [4, 8],
  PASSIVE_BROWSER: [2, 5],
};

/** On Saturdays and Sundays sessions are this many times longer (uniform in the range). */
export const WEEKEND_SESSION_STRETCH: readonly [number, number] = [1.1, 1.2];

export type CookingStyle =
  'DESSERT_FOCUSED' | 'HEALTHY_CONSCIOUS' | 'COMFORT_FOOD' | 'QUICK_CONVENIENT' | 'DIVERSE_EXPLORER';
export const COOKING_STYLES = new Weighted<CookingStyle>([
  ['DESSERT_FOCUSED', 0.2],
  ['HEALTHY_CONSCIOUS', 0.25],
  ['COMFORT_FOOD', 0.25],
  ['QUICK_CONVENIENT', 0.2],
  ['DIVERSE_EXPLORER', 0.1],
]);

// ---------------------------------------------------------------- when sessions happen

/** Relative session starts per KST hour of day. */
export const HOUR_WEIGHTS: readonly number[] = [
  0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.45, 0.6, 0.75, 0.85, 0.9, 1.0, 0.95, 0.85, 0.8, 0.85, 0.9, 0.95, 1.0,
  0.95, 0.85, 0.7, 0.35,
];

/** Weekend evenings (18–22 h inclusive) draw more sessions. */
export const WEEKEND_EVENING = { fromHour: 18, toHour: 22, factor: 1.2 } as const;

/** Relative sessions per weekday, Monday = 0. Saturday's 1.3 is the "+30% DAU" insight. */
export const WEEKDAY_WEIGHTS: readonly number[] = [0.8, 0.9, 0.95, 1.0, 1.1, 1.3, 1.2];

// ---------------------------------------------------------------- session flow

export type EventName =
  | 'view_page'
  | 'click_auth_button'
  | 'auth_success'
  | 'search_recipe'
  | 'view_recipe_list'
  | 'click_recipe'
  | 'click_bookmark'
  | 'click_like'
  | 'create_comment'
  | 'create_recipe_success'
  | 'view_ads'
  | 'click_ads';

export const EVENT_NAMES: readonly EventName[] = [
  'view_page',
  'click_auth_button',
  'auth_success',
  'search_recipe',
  'view_recipe_list',
  'click_recipe',
  'click_bookmark',
  'click_like',
  'create_comment',
  'create_recipe_success',
  'view_ads',
  'click_ads',
];

export const SESSION_START = new Weighted<EventName>([
  ['view_page', 0.85],
  ['click_auth_button', 0.15],
]);

/** Time between consecutive events of a session, inclusive, in ms. */
export const EVENT_GAP_MS = { min: 5_000, max: 120_000 } as const;

/**
 * Spec §1's transition map. Two of its edges have their own probability in the spec and
 * are drawn before the map (see below), so they are left out of these lists.
 * view_page's choice is biased towards view_ads (ad impressions are common on a real
 * page, and CTR needs enough of them to be measurable); the rest are uniform.
 */
export const TRANSITIONS: Partial<Record<EventName, Weighted<EventName>>> = {
  view_page: new Weighted([
    ['search_recipe', 1],
    ['view_recipe_list', 1],
    ['view_ads', 2],
    ['click_auth_button', 0.5],
  ]),
  click_auth_button: new Weighted([
    ['auth_success', 1],
    ['view_page', 1],
  ]),
  auth_success: new Weighted([
    ['view_page', 1],
    ['view_recipe_list', 1],
  ]),
  search_recipe: new Weighted([
    ['view_recipe_list', 1],
    ['click_recipe', 1],
    ['view_page', 1],
  ]),
  view_recipe_list: new Weighted([
    ['search_recipe', 1],
    ['view_page', 1],
  ]),
  click_recipe: new Weighted([['view_page', 1]]),
  click_bookmark: new Weighted([
    ['view_page', 1],
    ['view_recipe_list', 1],
    ['click_like', 1],
  ]),
  click_like: new Weighted([
    ['view_page', 1],
    ['view_recipe_list', 1],
    ['create_comment', 1],
  ]),
  create_comment: new Weighted([
    ['view_page', 1],
    ['view_recipe_list', 1],
  ]),
  click_ads: new Weighted([['view_page', 1]]),
};

/** The next event follows the map with this probability, else it is a random FALLBACK_EVENTS. */
export const FOLLOW_MAP_PROBABILITY = 0.8;
export const FALLBACK_EVENTS: readonly EventName[] = ['view_page', 'search_recipe', 'view_recipe_list'];

/** view_recipe_list → click_recipe, drawn first. */
export const CLICK_FROM_LIST_PROBABILITY = 0.3;

/** click_recipe → a reaction (bookmark, like or comment), drawn first. */
export const REACTION_PROBABILITY = 0.4;
export const REACTIONS = new Weighted<EventName>([
  ['click_bookmark', 1],
  ['click_like', 1],
  ['create_comment', 1],
]);

/** After a view_ads that was not clicked (the click itself is decided by the CTR table). */
export const AFTER_UNCLICKED_AD = new Weighted<EventName>([
  ['view_page', 1],
  ['view_recipe_list', 1],
]);

/**
 * Not in the spec's map, which no edge leads to create_recipe_success from: a view of
 * the profile page is followed by publishing a recipe with this probability, so all 12
 * event types occur (rarely, as recipe authoring does).
 */
export const CREATE_RECIPE_FROM_PROFILE_PROBABILITY = 0.1;

// ---------------------------------------------------------------- event properties

export type PageName = 'start' | 'main' | 'recipe_detail' | 'profile' | 'search_result';
export const VIEWED_PAGES = new Weighted<PageName>([
  ['start', 0.15],
  ['main', 0.35],
  ['recipe_detail', 0.25],
  ['profile', 0.1],
  ['search_result', 0.15],
]);
export const SITE_URL = 'https://reciping.co.kr/';

export const REFERRER_PROBABILITY = 0.3;
export const REFERRERS: readonly string[] = ['google.com', 'naver.com', ''];

export const AUTH_TYPES = new Weighted<string>([
  ['login', 0.7],
  ['signup', 0.3],
]);
export const AUTH_METHODS = new Weighted<string>([
  ['kakao', 0.4],
  ['naver', 0.25],
  ['email', 0.2],
  ['google', 0.15],
]);

export const SEARCH_TYPES: readonly string[] = ['category', 'ingredient', 'menu'];
export const SEARCH_KEYWORD_PROBABILITY = 0.7;
export const SEARCH_KEYWORDS: readonly string[] = [
  '치킨',
  '파스타',
  '샐러드',
  '스테이크',
  '케이크',
  '볶음밥',
  '국물요리',
];
export const SEARCH_FILTER_PROBABILITY = 0.4;
export const SEARCH_FILTER_COUNT: readonly [number, number] = [1, 4];
export const SEARCH_RESULT_COUNT: readonly [number, number] = [1, 500];

/** list_type 'search_result' is used right after a search; otherwise one of these. */
export const BROWSE_LIST_TYPES: readonly string[] = ['popular', 'recommended', 'trending'];
export const DISPLAYED_RECIPES: readonly [number, number] = [5, 20];

export const BOOKMARK_ACTIONS = new Weighted<string>([
  ['add', 0.85],
  ['remove', 0.15],
]);
export const LIKE_ACTIONS = new Weighted<string>([
  ['like', 0.9],
  ['unlike', 0.1],
]);
export const COMMENT_LENGTH: readonly [number, number] = [10, 200];
export const INGREDIENT_COUNT: readonly [number, number] = [3, 15];

export const AD_ID_RANGE: readonly [number, number] = [1000, 9999];
export const AD_TYPES: readonly string[] = ['banner', 'video', 'native', 'sponsored_recipe'];
export const AD_POSITIONS: readonly string[] = ['top', 'middle', 'bottom', 'sidebar', 'recipe_detail'];
export const AD_CLICK_URL = 'https://ads.reciping.co.kr/click/';

// ---------------------------------------------------------------- the A/B test on ads

export type AbGroup = 'treatment' | 'control';
export const AB_SCENARIO = 'BEHAVIORAL_TARGETING_MVP_V1';
export const AB_DEFAULT_START = '2025-08-08';
export const AB_DEFAULT_END = '2025-08-22';

/** What each group's view_ads carry while the test runs. */
export const AD_SERVING: Record<AbGroup, { method: string; score: readonly [number, number] }> = {
  treatment: { method: 'behavioral_targeting', score: [0.7, 0.95] },
  control: { method: 'random_serving', score: [0.1, 0.3] },
};

/** Targeting tags on treatment ads, by the user's cooking style. */
export const TARGETING_TAGS: Record<CookingStyle, readonly string[]> = {
  DESSERT_FOCUSED: ['dessert', 'baking'],
  HEALTHY_CONSCIOUS: ['healthy', 'low_calorie'],
  COMFORT_FOOD: ['comfort_food', 'home_meal'],
  QUICK_CONVENIENT: ['quick_meal', 'easy_recipe'],
  DIVERSE_EXPLORER: ['trending', 'world_cuisine'],
};

export type ClickRates = Readonly<Record<AbGroup, number>>;

/** Probability that a view_ads is clicked; outside the test window everyone gets `control`. */
const BASE_CTR: ClickRates = { control: 0.018, treatment: 0.022 };

const CTR_OVERRIDES: readonly { segment: Segment; activity: ActivityLevel; style: CookingStyle; rates: ClickRates }[] =
  [
    {
      segment: 'FEMALE_30S',
      activity: 'POWER_USER',
      style: 'DESSERT_FOCUSED',
      rates: { control: 0.021, treatment: 0.028 },
    },
    {
      segment: 'MALE_20S',
      activity: 'ACTIVE_EXPLORER',
      style: 'QUICK_CONVENIENT',
      rates: { control: 0.015, treatment: 0.019 },
    },
    {
      segment: 'FEMALE_40_PLUS',
      activity: 'ACTIVE_EXPLORER',
      style: 'HEALTHY_CONSCIOUS',
      rates: { control: 0.018, treatment: 0.023 },
    },
    {
      segment: 'MALE_30S',
      activity: 'PASSIVE_BROWSER',
      style: 'DIVERSE_EXPLORER',
      rates: { control: 0.014, treatment: 0.017 },
    },
  ];

export function clickRates(segment: Segment, activity: ActivityLevel, style: CookingStyle): ClickRates {
  const override = CTR_OVERRIDES.find((o) => o.segment === segment && o.activity === activity && o.style === style);
  return override ? override.rates : BASE_CTR;
}

// ---------------------------------------------------------------- which recipes users pick

/** Share of recipe picks drawn from the user's cooking style's favourites. */
export const PREFERRED_RECIPE_PROBABILITY = 0.5;

const QUICK_TIMES = new Set(['5분이내', '10분이내', '15분이내']);
const SWEET_DISHES = new Set(['디저트', '빵', '과자', '차/음료/술']);
const LIGHT_DISHES = new Set(['샐러드', '스프', '밑반찬']);
const HEARTY_DISHES = new Set(['찌개', '국/탕', '메인반찬', '밥/죽/떡', '면/만두']);

/** A cooking style's favourite recipes; DIVERSE_EXPLORER has none and picks from all. */
export const STYLE_FAVOURITES: Record<CookingStyle, ((recipe: Recipe) => boolean) | null> = {
  DESSERT_FOCUSED: (r) => SWEET_DISHES.has(r.dish_type),
  HEALTHY_CONSCIOUS: (r) => LIGHT_DISHES.has(r.dish_type) || r.situation_type === '다이어트',
  COMFORT_FOOD: (r) => HEARTY_DISHES.has(r.dish_type),
  QUICK_CONVENIENT: (r) => QUICK_TIMES.has(r.cooking_time) || r.situation_type === '초스피드',
  DIVERSE_EXPLORER: null,
};

/** Recipe popularity is skewed: rank = floor(n · u^k) for uniform u. */
export const POPULARITY_SKEW = 2;
