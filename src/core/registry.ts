import { ArborError } from './errors.js';

/**
 * Named parts that layers register themselves (games, agent kinds, model loaders, solvers), so
 * no layer keeps a central list of what the layers above it offer. A name is registered once:
 * a second registration under the same name is an error, not a silent overwrite.
 */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  private readonly origins = new Map<string, string>();

  /** `kind` names what is registered, for error lines ("unknown game ..."). */
  constructor(readonly kind: string) {}

  /**
   * `origin` is the URL of the module whose import performs this registration (its
   * `import.meta.url`): worker threads import those modules to see the same registry.
   */
  register(name: string, entry: T, origin?: string): void {
    if (this.entries.has(name)) throw new ArborError(`${this.kind} "${name}" is registered twice; give the second one another name`);
    this.entries.set(name, entry);
    if (origin !== undefined) this.origins.set(name, origin);
  }

  /** The modules that registered the entries (see `register`), each once. */
  originModules(): string[] {
    return [...new Set(this.origins.values())];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry, or undefined. */
  find(name: string): T | undefined {
    return this.entries.get(name);
  }

  /** The entry, or an ArborError naming the available ones and the closest match. */
  get(name: string): T {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new ArborError(unknownNameMessage(this.kind, name, this.names()));
    return entry;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  values(): T[] {
    return [...this.entries.values()];
  }
}

/** "unknown game "conect4"; did you mean connect4? available: ..." */
export function unknownNameMessage(kind: string, name: string, available: readonly string[]): string {
  const guess = closestName(name, available);
  const hint = guess !== undefined ? ` did you mean ${guess}?` : '';
  return `unknown ${kind} "${name}";${hint} available: ${available.length ? available.join(', ') : '(none)'}`;
}

/** The candidate nearest to `name` by edit distance, if it is near enough to be a typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  // A third of the name's length (at least 1, at most 3) counts as a typo; a prefix always does.
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  if (best !== undefined && (bestDistance <= limit || best.toLowerCase().startsWith(name.toLowerCase()))) return best;
  return undefined;
}

/** Edit distance with adjacent transpositions (Damerau's optimal string alignment): `mtcs` is 1 from `mcts`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
