import seedrandom from 'seedrandom';

/**
 * A seeded random stream. Every random choice in arbor comes from one of these (never
 * `Math.random`), so every game, search and training run can be replayed from its seed.
 */
export interface Rng {
  /** The seed this stream was created from (recorded in run folders and game records). */
  readonly seed: string;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** Gamma(shape, 1) sample (Marsaglia-Tsang), used for Dirichlet noise. */
  gamma(shape: number): number;
  /** Internal generator state, for resuming a run exactly. */
  saveState(): object;
}

type PrngWithState = seedrandom.PRNG & { state(): object };

export function createRng(seed: string | number, state?: object): Rng {
  const seedText = String(seed);
  // seedrandom accepts a saved state object in place of `true`; its typings only know `true`.
  const options = { state: (state ?? true) as boolean };
  const prng = seedrandom(seedText, options) as PrngWithState;
  const next = () => prng.double();
  const normal = () => {
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number): number => {
    if (shape < 1) {
      const u = next();
      return gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  return {
    seed: seedText,
    next,
    int: (n: number) => Math.floor(next() * n),
    normal,
    gamma,
    saveState: () => prng.state(),
  };
}

/** A fresh seed for runs the user did not seed; callers print or record it. */
export function freshSeed(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}`;
}

/** Derives an independent child seed (e.g. one per game of a match) from a parent seed. */
export function deriveSeed(parent: string | number, ...parts: (string | number)[]): string {
  return [String(parent), ...parts.map(String)].join('/');
}
