import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPanels } from '../../../framework/docs/dashboard/declaration.js';

/**
 * A small shop project exercising what the docs show: a seed, an external CSV source, an ephemeral
 * model, view and table models, documented columns, passing and failing tests.
 */
export function shopProject(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'project.yml': [
      'name: shop',
      'models:',
      '  +materialized: view',
      '  staging:',
      '    +schema: staging',
      '  marts:',
      '    +schema: marts',
      '    +materialized: table',
      'seeds:',
      '  +schema: raw',
      '',
    ].join('\n'),
    'data/orders.csv': 'order_id,customer_id,amount,ordered_at\n10,1,100,2025-08-01 10:00:00\n11,2,50,2025-08-01 11:00:00\n12,1,70,2025-08-02 09:00:00\n',
    'seeds/customers.csv': 'customer_id,name,country\n1,kim,KR\n2,lee,KR\n3,smith,US\n',
    'seeds/customers.yml': 'seeds:\n  - name: customers\n    description: Customers as exported from the CRM.\n    columns:\n      - name: customer_id\n        tests: [unique]\n',
    'models/sources.yml': [
      'sources:',
      '  - name: landing',
      '    tables:',
      '      - name: orders',
      '        description: Raw orders, read in place from CSV.',
      '        external: {location: "data/orders.csv", format: csv}',
      '        columns:',
      '          - name: amount',
      '            description: Order amount in won.',
      '',
    ].join('\n'),
    'models/staging/stg_customers.sql': '{{config materialized="ephemeral"}}\nselect customer_id, upper(name) as name, country from {{ref "customers"}}\n',
    'models/staging/stg_orders.sql': 'select order_id, customer_id, amount, CAST(ordered_at AS TIMESTAMP) as ordered_at\nfrom {{source "landing" "orders"}}\n',
    'models/marts/orders_by_customer.sql': [
      'select c.customer_id, c.name, c.country, count(o.order_id) as orders, sum(o.amount) as revenue',
      'from {{ref "stg_customers"}} as c',
      'left join {{ref "stg_orders"}} as o on o.customer_id = c.customer_id',
      'group by 1, 2, 3',
      '',
    ].join('\n'),
    'models/marts/big_customers.sql': '{{config materialized="view"}}\nselect customer_id, revenue * 2 as doubled_revenue\nfrom {{ref "orders_by_customer"}}\nwhere revenue > 100\n',
    'models/marts/marts.yml': [
      'models:',
      '  - name: orders_by_customer',
      '    description: Orders and revenue per customer.',
      '    columns:',
      '      - name: customer_id',
      '        description: The customer.',
      '        tests: [unique, not_null]',
      '      - name: country',
      '        tests: [{accepted_values: {values: [KR], severity: warn}}]',
      '      - name: revenue',
      '        description: Sum of order amounts.',
      '',
    ].join('\n'),
    'tests/no_negative_revenue.sql': 'select * from {{ref "orders_by_customer"}} where revenue < 0\n',
    // Fails on purpose (a leaf, so nothing is skipped): the site shows failures.
    'tests/no_big_customers.sql': 'select * from {{ref "big_customers"}}\n',
    ...extra,
  };
}

const DAYS = "select CAST(DATE '2025-08-01' + CAST(r AS INTEGER) AS DATE) as date from range(14) as t(r)";
const WEEKDAYS = "(values ('Mon', 1), ('Tue', 2), ('Wed', 3), ('Thu', 4), ('Fri', 5), ('Sat', 6), ('Sun', 7)) as w(day_of_week, day_of_week_num)";

/** Small views with the columns of Reciping's analytics models, for the dashboard without the whole pipeline. */
export const ANALYTICS_MODELS: Record<string, string> = {
  dau: `with days as (${DAYS}), segs as (select * from (values ('FEMALE_40_PLUS', 36), ('FEMALE_30S', 20), ('MALE_30S', 14)) as s(seg, share))
select date, strftime(date, '%a') as day_of_week, isodow(date) >= 6 as is_weekend, 'total' as dimension, 'all' as dimension_value, 100 + 10 * isodow(date) as dau from days
union all
select date, strftime(date, '%a'), isodow(date) >= 6, 'user_segment', seg, share + isodow(date) from days cross join segs`,
  wau: "select CAST(DATE '2025-07-28' + 7 * CAST(r AS INTEGER) AS DATE) as week_start, 'total' as dimension, 'all' as dimension_value, 500 + 20 * r as wau, 7 as days_with_data from range(4) as t(r)",
  ab_test_lift_by_segment: "select * from (values ('FEMALE_40_PLUS', 21.5, 3.2), ('FEMALE_30S', 25.1, -1.0), ('MALE_30S', 18.0, 2.5)) as t(user_segment, ctr_lift_pct, conversion_lift_pct)",
  ad_ctr_by_segment_group: `select * from (values ('FEMALE_40_PLUS', 'control', 10, 400, 8, 2.0), ('FEMALE_40_PLUS', 'treatment', 11, 410, 10, 2.44),
  ('MALE_30S', 'control', 5, 200, 3, 1.5), ('MALE_30S', 'treatment', 6, 190, 4, 2.1)) as t(user_segment, ab_test_group, users, impressions, clicks, ctr_pct)`,
  ad_funnel: `select * from (values (1, 'visit', 'view_page', 1000), (2, 'search', 'search_recipe', 700), (3, 'click_recipe', 'click_recipe', 400),
  (4, 'view_ads', 'view_ads', 250), (5, 'click_ads', 'click_ads', 20)) as t(stage_order, stage, event_name, users)`,
  hour_weekday_heatmap: `select w.day_of_week, w.day_of_week_num, CAST(h.r AS INTEGER) as hour, 10 * h.r + w.day_of_week_num as events, h.r as active_users,
  round(100.0 * (h.r * w.day_of_week_num) / (23 * 7), 1) as intensity from range(24) as h(r) cross join ${WEEKDAYS}`,
  top10_clicked_recipes: "select r + 1 as rank, 1000 + r as recipe_id, 'recipe ' || r as recipe_name, 'soup' as dish_type, 100 - 7 * r as clicks, 50 - r as users from range(10) as t(r)",
  top10_bookmarked_recipes: "select r + 1 as rank, 2000 + r as recipe_id, 'dish ' || r as recipe_name, 'salad' as dish_type, 30 - 2 * r as bookmarks, 20 - r as users from range(10) as t(r)",
  daily_engagement_by_weekday: `with days as (${DAYS})
select date, strftime(date, '%a') as day_of_week, isodow(date) as day_of_week_num, isodow(date) >= 6 as is_weekend, 50 as active_users, 400 as events,
  1000 + 50 * isodow(date) as total_engagement_score, 20.0 + isodow(date) as avg_engagement_per_user, 2.5 as avg_engagement_per_event from days`,
  latest_load_time: "select TIMESTAMP '2025-08-15 10:00:00' as latest_load_time, TIMESTAMP '2025-08-14 23:00:00' as latest_event_hour_kst, TIMESTAMP '2025-08-15 09:58:00' as latest_bronze_ingestion, 123456 as fact_rows",
};

/** The shipped project's dashboard declaration, and its panels. */
const DASHBOARD = fileURLToPath(new URL('../../../dashboards/reciping.yml', import.meta.url));
export const PANELS = loadPanels(dirname(dirname(DASHBOARD)), 'dashboards');

export function analyticsProject(models: Record<string, string> = ANALYTICS_MODELS): Record<string, string> {
  const files: Record<string, string> = {
    'project.yml': 'name: reciping_mini\nmodels:\n  +materialized: view\n  +schema: gold_analytics\n',
    'dashboards/reciping.yml': readFileSync(DASHBOARD, 'utf8'),
  };
  for (const [name, sql] of Object.entries(models)) files[`models/analytics/${name}.sql`] = sql + '\n';
  return files;
}
