import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

/** Flags that take several values (`--select a b+ tag:x`), as in dbt. */
const MULTI = new Set(['select', 'exclude', 'models', 'resource-type']);
const ALIASES: Record<string, string> = { s: 'select', m: 'models', t: 'target' };

/** `help` names where the full list of flags is, for errors about an unknown flag. */
export function parseArgs(
  argv: string[],
  known: { boolean: string[]; value: string[] },
  help = 'framework <command> --help',
): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const all = [...known.boolean, ...known.value];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s) as [string, string | undefined];
    name = ALIASES[name] ?? name;
    if (!all.includes(name)) {
      const flags = `flags: ${all.map((f) => `--${f}`).join(' ')} (${help})`;
      throw new ConfigError(
        `unknown flag --${name}`,
        undefined,
        [didYouMean(name, all), flags].filter(Boolean).join('\n  '),
      );
    }
    const values = flags.get(name) ?? [];
    if (known.boolean.includes(name)) values.push(inline ?? 'true');
    else if (inline !== undefined) values.push(inline);
    else if (MULTI.has(name)) {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) values.push(argv[++i]!);
      if (!values.length) throw new ConfigError(`--${name} needs a value`);
    } else {
      if (i + 1 >= argv.length) throw new ConfigError(`--${name} needs a value`);
      values.push(argv[++i]!);
    }
    flags.set(name, values);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

export function bool(args: ParsedArgs, name: string): boolean {
  return flag(args, name) === 'true';
}

export function list(args: ParsedArgs, name: string): string[] | undefined {
  return args.flags.get(name);
}

export function int(args: ParsedArgs, name: string): number | undefined {
  const v = flag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

/** --vars takes YAML or JSON mapping text. */
export function vars(args: ParsedArgs): Record<string, unknown> | undefined {
  const text = flag(args, 'vars');
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `--vars is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`,
      undefined,
      `example: --vars '{"start_date": "2025-06-01"}'`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `--vars must be a mapping, got ${JSON.stringify(text)}`,
      undefined,
      `example: --vars '{key: value}'`,
    );
  }
  return parsed as Record<string, unknown>;
}
