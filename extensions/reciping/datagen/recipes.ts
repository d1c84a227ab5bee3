/**
 * The recipe master. The original joined events to a 208k-recipe file we do not have;
 * this is a deterministic stand-in of 10,000 recipes with the same attributes. It is
 * also committed as seeds/recipe_master.csv (for dim_recipe), and a unit test checks the
 * file still equals recipeMaster(), so the seed and the events cannot drift apart.
 */
import { Rng, Weighted, deriveSeed } from './random.js';

export interface Recipe {
  recipe_id: number;
  recipe_name: string;
  dish_type: string;
  ingredient_type: string;
  method_type: string;
  situation_type: string;
  difficulty: string;
  cooking_time: string;
}

const DEFAULT_RECIPE_COUNT = 10_000;

/** Ids look like a real recipe site's (7 digits) and never coincide with surrogate keys 1..n. */
const RECIPE_ID_BASE = 6_900_000;

// The four category axes a Korean recipe site files recipes under (종류별, 재료별,
// 방법별, 상황별); search filters use the same values.
export const DISH_TYPES = new Weighted<string>([
  ['밑반찬', 10],
  ['메인반찬', 12],
  ['국/탕', 8],
  ['찌개', 7],
  ['디저트', 9],
  ['면/만두', 7],
  ['밥/죽/떡', 8],
  ['퓨전', 3],
  ['김치/젓갈/장류', 3],
  ['양념/소스/잼', 3],
  ['양식', 6],
  ['샐러드', 5],
  ['스프', 2],
  ['빵', 6],
  ['과자', 3],
  ['차/음료/술', 4],
  ['기타', 2],
]);

export const INGREDIENT_TYPES = new Weighted<string>([
  ['소고기', 7],
  ['돼지고기', 9],
  ['닭고기', 8],
  ['육류', 3],
  ['채소류', 14],
  ['해물류', 8],
  ['달걀/유제품', 7],
  ['가공식품류', 6],
  ['쌀', 5],
  ['밀가루', 7],
  ['건어물류', 3],
  ['버섯류', 4],
  ['과일류', 6],
  ['콩/견과류', 4],
  ['곡류', 3],
  ['기타', 6],
]);

export const METHOD_TYPES = new Weighted<string>([
  ['볶음', 14],
  ['끓이기', 13],
  ['부침', 6],
  ['조림', 6],
  ['무침', 6],
  ['비빔', 4],
  ['찜', 5],
  ['절임', 2],
  ['튀김', 5],
  ['삶기', 3],
  ['굽기', 12],
  ['데치기', 2],
  ['회', 1],
  ['기타', 8],
]);

export const SITUATION_TYPES = new Weighted<string>([
  ['일상', 25],
  ['초스피드', 10],
  ['손님접대', 8],
  ['술안주', 7],
  ['다이어트', 8],
  ['도시락', 6],
  ['영양식', 6],
  ['간식', 10],
  ['야식', 6],
  ['해장', 3],
  ['명절', 3],
  ['이유식', 2],
  ['기타', 6],
]);

const DIFFICULTIES = new Weighted<string>([
  ['아무나', 35],
  ['초급', 35],
  ['중급', 20],
  ['고급', 8],
  ['신의경지', 2],
]);

const COOKING_TIMES = new Weighted<string>([
  ['5분이내', 5],
  ['10분이내', 15],
  ['15분이내', 20],
  ['20분이내', 15],
  ['30분이내', 20],
  ['60분이내', 15],
  ['90분이내', 5],
  ['2시간이내', 3],
  ['2시간이상', 2],
]);

// Name parts: a main ingredient of the ingredient type, then the dish (for dish types
// that name the food) or else the cooking method, and sometimes a descriptive prefix.
const INGREDIENT_WORDS: Record<string, readonly string[]> = {
  소고기: ['소고기', '차돌박이', '불고기', '소갈비', '우둔살'],
  돼지고기: ['삼겹살', '목살', '앞다리살', '대패삼겹살', '돼지갈비'],
  닭고기: ['닭가슴살', '닭다리', '닭봉', '닭안심'],
  육류: ['오리고기', '양고기', '다짐육'],
  채소류: ['애호박', '감자', '양배추', '시금치', '가지', '브로콜리', '콩나물', '무'],
  해물류: ['새우', '오징어', '고등어', '연어', '바지락', '낙지'],
  '달걀/유제품': ['달걀', '치즈', '우유', '생크림', '요거트'],
  가공식품류: ['스팸', '소시지', '어묵', '참치', '베이컨'],
  쌀: ['쌀', '현미', '찹쌀'],
  밀가루: ['밀가루', '부침가루', '박력분'],
  건어물류: ['멸치', '황태', '건새우', '진미채'],
  버섯류: ['표고버섯', '느타리버섯', '새송이버섯', '팽이버섯'],
  과일류: ['딸기', '사과', '바나나', '블루베리', '레몬'],
  '콩/견과류': ['두부', '검은콩', '아몬드', '호두'],
  곡류: ['귀리', '보리', '옥수수', '퀴노아'],
  기타: ['김치', '떡', '당면', '고구마'],
};

const DISH_WORDS: Record<string, readonly string[]> = {
  '국/탕': ['국', '탕'],
  찌개: ['찌개'],
  디저트: ['케이크', '타르트', '푸딩', '마카롱', '파운드케이크', '스콘'],
  '면/만두': ['파스타', '국수', '만두'],
  '밥/죽/떡': ['볶음밥', '덮밥', '죽', '주먹밥'],
  '김치/젓갈/장류': ['김치', '장아찌', '젓갈'],
  '양념/소스/잼': ['잼', '소스', '드레싱'],
  샐러드: ['샐러드'],
  스프: ['스프'],
  빵: ['식빵', '베이글', '모닝빵', '토스트'],
  과자: ['쿠키', '크래커', '칩'],
  '차/음료/술': ['스무디', '라떼', '에이드', '청'],
};

const METHOD_WORDS: Record<string, readonly string[]> = {
  볶음: ['볶음'],
  끓이기: ['전골', '탕'],
  부침: ['전'],
  조림: ['조림'],
  무침: ['무침'],
  비빔: ['비빔밥', '비빔국수'],
  찜: ['찜'],
  절임: ['절임'],
  튀김: ['튀김'],
  삶기: ['수육'],
  굽기: ['구이'],
  데치기: ['숙회'],
  회: ['회'],
  기타: ['요리'],
};

const PREFIXES = ['초간단', '매콤한', '달콤한', '엄마표', '집밥', '건강한', '바삭한', '촉촉한', '든든한', '자취생'];

/** A fixed seed: the master is the same whatever seed the events are generated with. */
const MASTER_SEED = 20_250_601;

function makeRecipe(index: number): Recipe {
  const rng = new Rng(deriveSeed(MASTER_SEED, index));
  const dish = DISH_TYPES.sample(rng);
  const ingredient = INGREDIENT_TYPES.sample(rng);
  const method = METHOD_TYPES.sample(rng);
  const situation = SITUATION_TYPES.sample(rng);
  const difficulty = DIFFICULTIES.sample(rng);
  const time = COOKING_TIMES.sample(rng);
  const food = rng.pick(INGREDIENT_WORDS[ingredient]) + rng.pick(DISH_WORDS[dish] ?? METHOD_WORDS[method]);
  const name = rng.chance(0.4) ? `${rng.pick(PREFIXES)} ${food}` : food;
  return {
    recipe_id: RECIPE_ID_BASE + index + 1,
    recipe_name: name,
    dish_type: dish,
    ingredient_type: ingredient,
    method_type: method,
    situation_type: situation,
    difficulty,
    cooking_time: time,
  };
}

/** The deterministic recipe master; recipe i is the same whatever `count` is. */
export function recipeMaster(count: number = DEFAULT_RECIPE_COUNT): Recipe[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`recipe count must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => makeRecipe(i));
}

const CSV_COLUMNS = [
  'recipe_id',
  'recipe_name',
  'dish_type',
  'ingredient_type',
  'method_type',
  'situation_type',
  'difficulty',
  'cooking_time',
] as const satisfies readonly (keyof Recipe)[];

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV of the master, as committed in seeds/recipe_master.csv. */
export function recipeMasterCsv(recipes: readonly Recipe[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const recipe of recipes) lines.push(CSV_COLUMNS.map((column) => csvField(recipe[column])).join(','));
  return lines.join('\n') + '\n';
}
