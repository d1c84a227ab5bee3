"""Convert a framework project to a dbt project, as far as `dbt ls` reads one: the graph (ref, source,
macros that ref), config, properties YAML and selectors. Bodies are not kept: dbt only has to parse them.

    python3 convert.py <framework project> <new dbt project folder>
"""
import os
import re
import shutil
import sys

import yaml

SRC, DST = sys.argv[1], sys.argv[2]
# Config keys dbt knows; the framework's own (interval, maintenance, ...) do not change selection.
DBT_CONFIG = {'materialized', 'tags', 'enabled', 'unique_key', 'schema', 'alias', 'severity', 'meta', 'incremental_strategy', 'on_schema_change', 'full_refresh', 'where', 'limit', 'store_failures', 'warn_if', 'error_if',
              'strategy', 'updated_at', 'check_cols', 'hard_deletes', 'dbt_valid_to_current', 'invalidate_hard_deletes'}

project = yaml.safe_load(open(os.path.join(SRC, 'project.yml')))
name = project['name']
paths = {'models': 'models', 'sources': 'sources', 'seeds': 'seeds', 'tests': 'tests', 'macros': 'macros', 'snapshots': (project.get('snapshot-paths') or ['snapshots'])[0], **project.get('paths', {})}


def dbt_config(tree):
    """Keep dbt's keys ('+key' in project trees); subfolder keys stay."""
    if not isinstance(tree, dict):
        return tree
    out = {}
    for key, value in tree.items():
        bare = key.lstrip('+')
        if key.startswith('+') or key == bare and bare in DBT_CONFIG and not isinstance(value, dict):
            if bare in DBT_CONFIG and not (bare == 'incremental_strategy' and value == 'new_files'):
                out[key] = value
        else:
            out[key] = dbt_config(value)
    return out


def scoped(tree):
    """dbt nests folder config under the project name; the framework also takes it at the top."""
    if not tree or name in tree:
        return dbt_config(tree)
    top = {k: v for k, v in tree.items() if k.startswith('+')}
    top[name] = {k: v for k, v in tree.items() if not k.startswith('+')}
    return dbt_config(top)


macro_refs = {}
macro_dir = os.path.join(SRC, paths['macros'])
for root, _, files in os.walk(macro_dir):
    for f in files:
        if f.endswith('.sql'):
            macro_refs[f[:-4]] = re.findall(r'ref "([^"]+)"', open(os.path.join(root, f)).read())


def config_call(body):
    args = []
    for key, value in re.findall(r'(\w+)=("[^"]*"|\S+)', body):
        if key not in DBT_CONFIG or (key == 'incremental_strategy' and 'new_files' in value):
            continue
        args.append(f'{key}=[{value}]' if key == 'tags' and value.startswith('"') else f'{key}={value}')
    return '{{ config(' + ', '.join(args) + ') }}'


def convert_sql(text):
    refs = [r for macro, rs in macro_refs.items() if re.search(r'\{\{\s*' + macro + r'\b', text) for r in rs]
    text = re.sub(r'\{\{!--.*?--\}\}', '', text, flags=re.S)
    text = re.sub(r'\{\{\s*config ([^}]*)\}\}', lambda m: config_call(m.group(1)), text)
    text = re.sub(r'\{\{\s*ref "([^"]+)"\s*\}\}', r"{{ ref('\1') }}", text)
    text = re.sub(r'\{\{\s*source "([^"]+)" "([^"]+)"\s*\}\}', r"{{ source('\1', '\2') }}", text)
    text = re.sub(r'\{\{\{.*?\}\}\}', '', text, flags=re.S)
    text = re.sub(r'\{\{(?!\s*(ref|source|config)\()(.*?)\}\}', '', text, flags=re.S)
    text = text.replace('{%', '{ %').replace('{#', '{ #')
    return text + ''.join(f"\n{{{{ ref('{r}') }}}}" for r in refs)


def convert_tests(tests):
    for test in tests or []:
        rel = test.get('relationships') if isinstance(test, dict) else None
        if rel and 'ref(' not in str(rel.get('to')):
            rel['to'] = f"ref('{rel['to']}')"


def convert_yaml(doc):
    doc.pop('unit_tests', None)
    for kind in ('models', 'seeds', 'snapshots'):
        for node in doc.get(kind) or []:
            if 'config' in node:
                node['config'] = dbt_config(node['config'])
            for column in node.get('columns') or []:
                convert_tests(column.get('tests') or column.get('data_tests'))
    for source in doc.get('sources') or []:
        for table in source.get('tables') or []:
            table.pop('external', None)
    return doc if any(doc.get(k) for k in ('models', 'seeds', 'sources', 'snapshots')) else None


def copy_tree(folder, dest):
    for root, _, files in os.walk(os.path.join(SRC, folder)):
        for f in files:
            src = os.path.join(root, f)
            dst = os.path.join(DST, dest, os.path.relpath(src, os.path.join(SRC, folder)))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if f.endswith('.sql'):
                sql = convert_sql(open(src).read())
                # A SQL snapshot is dbt's {% snapshot %} block.
                if dest == 'snapshots':
                    sql = '{% snapshot ' + f[:-4] + ' %}\n' + sql + '\n{% endsnapshot %}\n'
                open(dst, 'w').write(sql)
            elif f.endswith(('.yml', '.yaml')):
                doc = convert_yaml(yaml.safe_load(open(src)) or {})
                if doc:
                    yaml.safe_dump(doc, open(dst, 'w'))
            elif f.endswith('.csv'):
                shutil.copy(src, dst)


shutil.rmtree(DST, ignore_errors=True)
os.makedirs(DST)
dbt_project = {
    'name': name, 'version': '1.0', 'config-version': 2, 'profile': 'selection',
    'model-paths': ['models', 'sources'], 'seed-paths': ['seeds'], 'test-paths': ['tests'], 'macro-paths': ['macros'], 'snapshot-paths': ['snapshots'],
    'vars': project.get('vars', {}),
}
for tree in ('models', 'seeds', 'snapshots', 'tests', 'data_tests'):
    if tree in project:
        dbt_project['data_tests' if tree == 'tests' else tree] = scoped(project[tree])
yaml.safe_dump(dbt_project, open(os.path.join(DST, 'dbt_project.yml'), 'w'))
open(os.path.join(DST, 'profiles.yml'), 'w').write('selection:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: ":memory:"}\n')
copy_tree(paths['models'], 'models')
copy_tree(paths['sources'], 'sources')
copy_tree(paths['seeds'], 'seeds')
copy_tree(paths['tests'], 'tests')
copy_tree(paths['snapshots'], 'snapshots')

selectors_file = os.path.join(SRC, 'selectors.yml')
if os.path.exists(selectors_file):
    selectors = yaml.safe_load(open(selectors_file))
    for s in selectors['selectors']:
        if 'select' in s:  # the framework's shorthand: CLI grammar strings
            exclude = s.pop('exclude', None)
            s['definition'] = {'union': s.pop('select').split() + ([{'exclude': exclude.split()}] if exclude else [])}
    yaml.safe_dump(selectors, open(os.path.join(DST, 'selectors.yml'), 'w'))

# Generic tests dbt does not ship (the framework's built-ins beyond dbt's four, the project's own).
os.makedirs(os.path.join(DST, 'macros'), exist_ok=True)
for test in ('expression_is_true', 'accepted_range', 'row_count', 'unique_combination_of_columns', 'is_balanced'):
    open(os.path.join(DST, 'macros', f'{test}.sql'), 'w').write('{% test ' + test + '(model, column_name=None) %}{% set args = kwargs %} select 1 {% endtest %}\n')
