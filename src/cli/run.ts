import { isArborError } from '../core/index.js';

/**
 * Wraps a command's action: a user's mistake (ArborError) becomes one line on stderr and its
 * exit code (2); anything else is a bug and keeps its stack trace (exit 1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportAndExit(e);
    }
  };
}

export function reportAndExit(e: unknown): never {
  if (isArborError(e)) {
    process.stderr.write(`arbor: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}

/** Parses a positive integer option, naming the option and the allowed range on error. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      process.stderr.write(`arbor: ${name} ${value} is not an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? 'inf' : max}\n`);
      process.exit(2);
    }
    return n;
  };
}

/** Prints one JSON object for scripts. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Reads all of stdin when it is piped (not a terminal); '' otherwise. */
export async function readStdinIfPiped(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Explains an output format to a person: on stderr, and only when stdout is a terminal, so the
 * lines scripts read (stdout, or a pipe) stay exactly as they are.
 */
export function writeLegend(text: string): void {
  if (process.stdout.isTTY) process.stderr.write(`${text}\n`);
}
