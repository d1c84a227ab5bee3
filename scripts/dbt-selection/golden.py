"""Record what dbt-core selects for each case, as the golden file of tests/unit/engine/selection.test.ts.

    python3 -m venv /tmp/dbt && /tmp/dbt/bin/pip install "dbt-core~=1.11.0" dbt-duckdb
    python3 scripts/dbt-selection/golden.py /tmp/dbt/bin/dbt [--aliases-only] [--only reciping|fixture]

For each project (the selector fixture and Reciping) it converts the project to dbt's format
(convert.py: refs, sources, config and YAML only, which is all `dbt ls` reads), runs
`dbt ls --output json` once per case line and writes the unique ids (tests without dbt's hash suffix),
and the alias (relation name) of every test. --aliases-only refreshes just the aliases; --only
re-records one project and keeps the other's entries (each `dbt ls` takes seconds).
"""
import json, os, shlex, subprocess, sys, tempfile

DBT = sys.argv[1]
ALIASES_ONLY = '--aliases-only' in sys.argv
ONLY = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROJECTS = {'fixture': os.path.join(REPO, 'tests/fixtures/selection'), 'reciping': REPO}


def norm(uid):
    parts = uid.split('.')
    return '.'.join(parts[:3]) if parts[0] == 'test' else uid


def dbt_ls(project, args):
    cmd = [DBT, '--quiet', 'ls', '--profiles-dir', project, '--project-dir', project, '--output', 'json', '--output-keys', 'unique_id'] + args
    run = subprocess.run(cmd, capture_output=True, text=True)
    return run.returncode, sorted(norm(json.loads(l)['unique_id']) for l in run.stdout.splitlines() if l.startswith('{'))


def test_aliases(project):
    cmd = [DBT, '--quiet', 'ls', '--profiles-dir', project, '--project-dir', project, '--resource-type', 'test', '--output', 'json', '--output-keys', 'unique_id', 'alias']
    lines = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
    return {norm(d['unique_id']): d['alias'] for d in (json.loads(l) for l in lines if l.startswith('{'))}


out = os.path.join(REPO, 'tests/fixtures/selection/golden.json')
version = subprocess.run([DBT, '--version'], capture_output=True, text=True).stdout.split('installed:')[1].split()[0]
golden = json.load(open(out)) if ALIASES_ONLY or ONLY else {'dbt_core': version, 'projects': {}, 'aliases': {}}
golden.setdefault('aliases', {})
for name, root in PROJECTS.items():
    if ONLY and name != ONLY:
        continue
    converted = tempfile.mkdtemp(prefix=f'dbt-{name}-')
    subprocess.run([sys.executable, os.path.join(HERE, 'convert.py'), root, converted], check=True)
    golden['aliases'][name] = test_aliases(converted)
    if ALIASES_ONLY:
        continue
    cases = []
    for line in open(os.path.join(REPO, 'tests/fixtures/selection', f'cases-{name}.txt')):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        code, nodes = dbt_ls(converted, shlex.split(line))
        cases.append({'args': line, 'ok': code == 0, 'nodes': nodes})
    golden['projects'][name] = cases
json.dump(golden, open(out, 'w'), indent=1)
print(f'wrote {out}: dbt-core {version}, ' + ', '.join(f'{k}: {len(v)} cases' for k, v in golden['projects'].items()))
