/**
 * Fitness from games: a candidate climbs a ladder of reference opponents (by default `random`,
 * `greedy`, `uct:simulations=N`), meeting the next rung only after it beat the previous one, each
 * rung decided by a sequential test so that weak candidates cost few games (fishtest's SPRT).
 * Playing games needs the arena, a layer above this one, so the synthesizer sees the ladder only
 * through this interface; src/arena/ladder.ts implements it and the CLI wires the two.
 */

/** A candidate's games against one rung. */
export interface RungResult {
  /** The opponent's agent spec. */
  readonly opponent: string;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  readonly games: number;
  /** (wins + draws / 2) / games. */
  readonly score: number;
  /** Beat the rung: the test accepted "stronger", or it ran out of games with a score above one half. */
  readonly passed: boolean;
  /** `H1` stronger, `H0` not stronger, `max-games` the game cap came first, `fixed` a fixed-size measurement. */
  readonly decision: 'H1' | 'H0' | 'max-games' | 'fixed';
}

export interface LadderResult {
  /** The rungs met, lowest first (the last one is where the candidate stopped or reached the top). */
  readonly rungs: readonly RungResult[];
  readonly games: number;
  /** ladderFitness(rungs). */
  readonly fitness: number;
}

export interface LadderEvaluator {
  /** The opponents, lowest rung first. */
  readonly rungs: readonly string[];
  /** Climbs the ladder with `agentSpec` (games seeded from `seed`). */
  evaluate(agentSpec: string, seed: string): Promise<LadderResult>;
  /** A fixed number of paired games against every rung (the final measurement of the best programs). */
  measure(agentSpec: string, seed: string, gamesPerRung: number): Promise<RungResult[]>;
}

/**
 * The fitness of a climb: the rungs passed below the last one met, plus the score against that
 * last one; so beating random and scoring 0.4 against greedy (1.4) ranks above 0.9 against
 * random, and a candidate that beats every rung ranks by its score against the top one.
 */
export function ladderFitness(rungs: readonly RungResult[]): number {
  if (rungs.length === 0) return 0;
  return rungs.length - 1 + rungs[rungs.length - 1].score;
}

/** Score of a tally: wins count 1, draws one half. */
export function tallyScore(wins: number, draws: number, games: number): number {
  return games === 0 ? 0 : (wins + draws / 2) / games;
}
