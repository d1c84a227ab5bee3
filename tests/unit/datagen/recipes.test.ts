import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../framework/adapters/csv.js';
import { recipeMaster, recipeMasterCsv } from '../../../extensions/reciping/datagen/index.js';

const SEED_CSV = new URL('../../../seeds/recipe_master.csv', import.meta.url);

describe('recipe master', () => {
  const recipes = recipeMaster();

  it('has 10,000 recipes with unique numeric ids and every attribute filled', () => {
    expect(recipes).toHaveLength(10_000);
    expect(new Set(recipes.map((r) => r.recipe_id)).size).toBe(10_000);
    const incomplete = recipes.filter(
      (r) => !(Number.isSafeInteger(r.recipe_id) && r.recipe_id > 0) || Object.values(r).some((value) => String(value).length === 0),
    );
    expect(incomplete).toEqual([]);
  });

  it('is deterministic, and a smaller master is a prefix of the full one', () => {
    expect(recipeMaster()).toEqual(recipes);
    expect(recipeMaster(100)).toEqual(recipes.slice(0, 100));
  });

  it('spreads recipes over the categories', () => {
    const dishTypes = new Set(recipes.map((r) => r.dish_type));
    const difficulties = new Set(recipes.map((r) => r.difficulty));
    expect(dishTypes.size).toBeGreaterThanOrEqual(15);
    expect(difficulties.size).toBe(5);
    expect(new Set(recipes.map((r) => r.recipe_name)).size).toBeGreaterThan(1000);
  });

  it('is what seeds/recipe_master.csv holds (the seed and the events cannot drift apart)', () => {
    const csv = recipeMasterCsv(recipes);
    expect(readFileSync(SEED_CSV, 'utf8')).toBe(csv);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('recipe_id,recipe_name,dish_type,ingredient_type,method_type,situation_type,difficulty,cooking_time');
    expect(lines).toHaveLength(10_001);
  });

  it("reads back through the project's CSV parser as the same recipes", () => {
    const [header, ...rows] = parseCsv(readFileSync(SEED_CSV, 'utf8'));
    const parsed = rows.map((row) => Object.fromEntries(header.map((column, i) => [column, column === 'recipe_id' ? Number(row[i]) : row[i]])));
    expect(parsed).toEqual(recipes);
  });

  it('quotes CSV fields only when they need it', () => {
    const [recipe] = recipes;
    const csv = recipeMasterCsv([{ ...recipe, recipe_name: 'a, "b"' }]);
    expect(csv.split('\n')[1]).toBe(`${recipe.recipe_id},"a, ""b""",${recipe.dish_type},${recipe.ingredient_type},${recipe.method_type},${recipe.situation_type},${recipe.difficulty},${recipe.cooking_time}`);
  });
});
