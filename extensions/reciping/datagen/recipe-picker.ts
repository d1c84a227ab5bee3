/**
 * How users choose recipes: a few recipes are far more popular than the rest (so "top
 * 10 clicked recipes" means something), and users lean towards their cooking style's
 * favourites (so interactions per dish type differ by persona).
 */
import { COOKING_STYLES, POPULARITY_SKEW, PREFERRED_RECIPE_PROBABILITY, STYLE_FAVOURITES } from './model.js';
import { Rng } from './random.js';
import type { Recipe } from './recipes.js';

/** Fixed, like the master itself: popularity is a property of the catalogue, not of a run. */
const POPULARITY_SEED = 7_312_025;

export class RecipePicker {
  /** Recipe ids, most popular first. */
  private readonly byPopularity: readonly number[];
  /** Per cooking style (COOKING_STYLES order), its favourites most popular first; null = no preference. */
  private readonly favourites: readonly (readonly number[] | null)[];

  private readonly byId: ReadonlyMap<number, Recipe>;

  constructor(recipes: readonly Recipe[]) {
    this.byId = new Map(recipes.map((recipe) => [recipe.recipe_id, recipe]));
    const rng = new Rng(POPULARITY_SEED);
    const score = recipes.map(() => rng.float());
    const order = recipes.map((_, i) => i).sort((a, b) => score[a] - score[b]);
    this.byPopularity = order.map((i) => recipes[i].recipe_id);
    this.favourites = COOKING_STYLES.values.map((style) => {
      const likes = STYLE_FAVOURITES[style];
      if (!likes) return null;
      const ids = order.filter((i) => likes(recipes[i])).map((i) => recipes[i].recipe_id);
      return ids.length > 0 ? ids : null;
    });
  }

  recipe(id: number): Recipe {
    const recipe = this.byId.get(id);
    if (!recipe) throw new Error(`no recipe ${id} in the master`);
    return recipe;
  }

  /** A recipe id for a user of the given cooking style (index into COOKING_STYLES). */
  pick(rng: Rng, style: number): number {
    const favourites = this.favourites[style];
    const pool = favourites && rng.chance(PREFERRED_RECIPE_PROBABILITY) ? favourites : this.byPopularity;
    return pool[Math.floor(pool.length * rng.float() ** POPULARITY_SKEW)];
  }

  /** `count` distinct recipe ids, as a displayed list. */
  pickList(rng: Rng, style: number, count: number): number[] {
    const ids: number[] = [];
    for (let tries = 0; ids.length < count && tries < count * 4; tries++) {
      const id = this.pick(rng, style);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }
}
