/** Where a problem sits in a user's file; every config error carries one so the user never hunts. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

/** A problem in the user's project or flags: printed as one clear line, exit code 2, nothing written. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly position?: SourcePosition,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file:line:col: message (hint)` — the format editors and terminals turn into links. */
  format(): string {
    const where = this.position ? `${formatPosition(this.position)}: ` : '';
    return `${where}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}

/** A failure while talking to the warehouse; the message is the engine's own text. */
export class ExecutionError extends Error {
  constructor(
    message: string,
    readonly details: { queryId?: string; sql?: string } = {},
  ) {
    super(message);
    this.name = 'ExecutionError';
  }
}

/** A warning raised under --warn-error: the command stops with exit 1. */
export class WarningAsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarningAsError';
  }
}

export function formatPosition(p: SourcePosition): string {
  return [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
}

/**
 * `error` is a `kind` of this or of another copy of the framework: a project extension that the
 * compiled CLI loads from source throws the source copy's classes.
 */
export function isError<T extends Error>(error: unknown, kind: abstract new (...args: never[]) => T): error is T {
  return error instanceof kind || (error instanceof Error && error.name === kind.name);
}
