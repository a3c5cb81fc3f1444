import { join } from 'node:path';
import { ArborError, createRng, deriveSeed, writeFileAtomic, type Game } from '../../core/index.js';
import { exprSize, type Program } from '../ast.js';
import type { LibraryFunction } from '../library-functions.js';
import { printProgram } from '../print.js';
import { primitives as registered, type PrimitiveLookup } from '../registry.js';
import { valueProgram, withUsedDefines } from './candidate.js';
import { TOP_CONTEXT } from './context.js';
import { Enumerator, type SizeStats } from './enumerate.js';
import type { LadderEvaluator, LadderResult, RungResult } from './fitness.js';
import { defaultGrammar } from './grammar.js';
import { Prober } from './probe.js';
import { samplePositions } from './sample.js';
import { crossover, extend, mutate, perturbConstants } from './variation.js';

/**
 * `arbor synth`: finds a value program for a game in two phases.
 * 1. Bottom-up enumeration by size with observational equivalence (enumerate.ts); every kept
 *    number expression that is not constant on the sample becomes a value program, and these are
 *    evaluated smallest first (the order in which enumerative synthesis meets programs).
 * 2. Steady-state evolution (Koza-style GP, typed): a tournament picks parents from the best
 *    programs evaluated; a child comes from subtree mutation, crossover, additive growth, or a
 *    (1+1)-ES step on the constants with a step size adapted by the 1/5 rule. Children that the sample cannot tell
 *    apart from a program already evaluated are not played.
 * Fitness is a climb up the ladder of reference opponents (fitness.ts), each candidate on openings
 * of its own (with shared openings, a thousand candidates selected by a few games each overfit
 * those openings). Finally the best programs play a fixed number of games against every rung, on
 * openings of a different seed, so the strength reported was not selected for.
 * Every random choice comes from `seed`; with an evaluation budget the same seed gives the same run.
 */

export interface SynthBudget {
  /** Wall-clock minutes for the whole run (the last ~15% goes to the final measurement). */
  readonly minutes?: number;
  /** Programs evaluated with games (the final measurement excluded). */
  readonly evaluations?: number;
}

export interface SynthProgress {
  readonly phase: 'enumerate' | 'evaluate' | 'evolve' | 'measure';
  /** 0..1 of the budget. */
  readonly fraction: number;
  readonly enumerated: number;
  readonly evaluated: number;
  readonly games: number;
  readonly bestFitness: number;
}

export interface SynthReporter {
  progress(p: SynthProgress): void;
}

export interface SynthOptions {
  readonly game: Game;
  readonly seed: string;
  readonly budget: SynthBudget;
  readonly ladder: LadderEvaluator;
  /** Folder where candidate program files are written for the game workers to load. */
  readonly workDir: string;
  /** Library functions usable as primitives (empty: `--library off`, or none in the library). */
  readonly library?: readonly LibraryFunction[];
  readonly primitives?: PrimitiveLookup;
  /** Sample positions for observational equivalence (default 40). */
  readonly samples?: number;
  /** Largest expression size enumerated (default 8). */
  readonly maxSize?: number;
  /** Most expressions formed by the enumeration (default 50,000). */
  readonly maxEnumerated?: number;
  /** Largest body size evolution may grow a program to (default 40). */
  readonly maxProgramSize?: number;
  /** Programs the tournament picks parents from (default 8). */
  readonly elite?: number;
  /** Programs measured at the end and reported (default 3). */
  readonly keepBest?: number;
  /** Games per rung of the final measurement (default 40). */
  readonly finalGames?: number;
  readonly reporter?: SynthReporter;
}

/** One point of the search curve: the best fitness after so many programs evaluated and games played. */
export interface CurvePoint {
  readonly evaluated: number;
  readonly games: number;
  readonly elapsedMs: number;
  readonly bestFitness: number;
}

export interface SynthProgramReport {
  readonly text: string;
  /** Nodes of the body (a library function call counts one). */
  readonly size: number;
  readonly origin: string;
  /** Fitness during the search (ladder climb on the search openings). */
  readonly fitness: number;
  readonly search: readonly RungResult[];
  /** The final measurement: fixed games against every rung on fresh openings. */
  readonly measured: readonly RungResult[];
}

export interface SynthStats {
  readonly enumerated: number;
  readonly keptAfterEquivalence: number;
  readonly bySize: readonly SizeStats[];
  readonly enumerationComplete: boolean;
  readonly seedPrograms: number;
  readonly evaluated: number;
  readonly evaluatedFromEnumeration: number;
  readonly evaluatedFromEvolution: number;
  /** Programs not played because they choose the same moves on the sample as one already evaluated. */
  readonly equivalentSkipped: number;
  readonly gamesPlayed: number;
  readonly searchGames: number;
  readonly measurementGames: number;
  readonly elapsedMs: number;
}

export interface SynthResult {
  readonly game: string;
  readonly seed: string;
  readonly budget: SynthBudget;
  readonly ladder: readonly string[];
  readonly libraryFunctions: readonly string[];
  readonly best: readonly SynthProgramReport[];
  readonly stats: SynthStats;
  readonly curve: readonly CurvePoint[];
}

interface Candidate {
  readonly id: number;
  readonly program: Program;
  readonly text: string;
  readonly size: number;
  readonly origin: string;
  readonly ladder: LadderResult;
  sigma: number;
}

/** Share of a timed run spent enumerating at most, and the point where the search stops for the final measurement. */
const ENUMERATION_SHARE = 0.2;
const SEARCH_SHARE = 0.85;
/** Share of the evaluations (or of the search time) that go to the enumerated programs before evolution starts. */
const SEED_SHARE = 0.5;
const TOURNAMENT = 3;
const MUTATION_SUBTREE = 8;
const INITIAL_SIGMA = 0.3;

function better(a: Candidate, b: Candidate): number {
  return b.ladder.fitness - a.ladder.fitness || a.size - b.size || a.id - b.id;
}

export async function synthesize(o: SynthOptions): Promise<SynthResult> {
  const { minutes, evaluations } = o.budget;
  if (minutes === undefined && evaluations === undefined) throw new ArborError('give a budget: --minutes M or --evaluations N');
  if (minutes !== undefined && !(minutes > 0)) throw new ArborError(`--minutes ${minutes} must be positive`);
  if (evaluations !== undefined && !(Number.isInteger(evaluations) && evaluations >= 1)) throw new ArborError(`--evaluations ${evaluations} must be a positive integer`);
  if (o.game.numPlayers !== 2) throw new ArborError(`${o.game.spec} has ${o.game.numPlayers} players; synthesis plays two-player games`);
  const started = performance.now();
  const totalMs = minutes === undefined ? Infinity : minutes * 60_000;
  const elapsed = (): number => performance.now() - started;
  const lookup = o.primitives ?? registered;
  const library = o.library ?? [];
  const grammar = defaultGrammar(lookup, library);
  const rng = createRng(deriveSeed(o.seed, 'evolution'));
  const positions = samplePositions(o.game, o.samples ?? 40, deriveSeed(o.seed, 'samples'));
  const prober = new Prober(o.game, positions, lookup, grammar.defines, deriveSeed(o.seed, 'probe'));
  const enumerator = new Enumerator(grammar, prober);
  const ladderSeed = deriveSeed(o.seed, 'ladder');
  const keepBest = o.keepBest ?? 3;
  const finalGames = o.finalGames ?? 40;
  const elite = o.elite ?? 8;
  const maxProgramSize = o.maxProgramSize ?? 40;

  let evaluatedCount = 0;
  let searchGames = 0;
  let phase: SynthProgress['phase'] = 'enumerate';
  let bestFitness = 0;
  const fraction = (): number => {
    const byTime = totalMs === Infinity ? 0 : Math.min(1, elapsed() / totalMs);
    const byCount = evaluations === undefined ? 0 : Math.min(1, evaluatedCount / evaluations);
    return Math.max(byTime, byCount);
  };
  const report = (): void => o.reporter?.progress({ phase, fraction: fraction(), enumerated: enumerator.enumerated, evaluated: evaluatedCount, games: searchGames, bestFitness });

  // 1. Enumeration.
  report();
  const complete = enumerator.run({ maxSize: o.maxSize ?? 8, maxPrograms: o.maxEnumerated ?? 50_000, deadline: started + ENUMERATION_SHARE * totalMs });
  const seedExprs = [...enumerator.all(TOP_CONTEXT, 'number'), ...enumerator.all(TOP_CONTEXT, 'value')]
    .filter((e) => !e.signature.constant)
    .sort((a, b) => a.size - b.size);
  const seen = new Set<string>(); // signatures of programs evaluated (observational equivalence across phases)
  const texts = new Set<string>();

  const population: Candidate[] = [];
  const all: Candidate[] = [];
  const curve: CurvePoint[] = [];
  let equivalentSkipped = 0;

  const budgetLeft = (share: number): boolean => {
    if (evaluations !== undefined && evaluatedCount >= Math.round(share * evaluations)) return false;
    return totalMs === Infinity || elapsed() < share * SEARCH_SHARE * totalMs;
  };

  const evaluate = async (program: Program, origin: string, signature: string): Promise<Candidate> => {
    const output = withUsedDefines(program, grammar.defines);
    const text = printProgram(output);
    const id = all.length;
    const file = join(o.workDir, `candidate-${id}.arb`);
    await writeFileAtomic(file, text);
    const ladder = await o.ladder.evaluate(`program:${file}`, deriveSeed(ladderSeed, id));
    evaluatedCount++;
    searchGames += ladder.games;
    seen.add(signature);
    texts.add(text);
    const candidate: Candidate = { id, program, text, size: exprSize(program.body), origin, ladder, sigma: INITIAL_SIGMA };
    all.push(candidate);
    population.push(candidate);
    population.sort(better);
    if (population.length > elite) population.length = elite;
    if (ladder.fitness > bestFitness || curve.length === 0) {
      bestFitness = Math.max(bestFitness, ladder.fitness);
      curve.push({ evaluated: evaluatedCount, games: searchGames, elapsedMs: Math.round(elapsed()), bestFitness });
    }
    report();
    return candidate;
  };

  // 2. The enumerated programs, smallest first.
  phase = 'evaluate';
  let fromEnumeration = 0;
  for (const entry of seedExprs) {
    if (!budgetLeft(SEED_SHARE)) break;
    const program = valueProgram(entry.expr, grammar.defines);
    const behavior = prober.behavior(program);
    if (behavior === null || behavior.constant) continue;
    if (seen.has(behavior.text)) {
      equivalentSkipped++;
      continue;
    }
    await evaluate(program, 'enumeration', behavior.text);
    fromEnumeration++;
  }

  // 3. Evolution.
  phase = 'evolve';
  const pick = (): Candidate => {
    let best = population[rng.int(population.length)];
    for (let k = 1; k < TOURNAMENT; k++) {
      const c = population[rng.int(population.length)];
      if (better(c, best) < 0) best = c;
    }
    return best;
  };
  let fromEvolution = 0;
  let idle = 0;
  while (population.length > 0 && budgetLeft(1) && idle < 500) {
    const parent = pick();
    const r = rng.next();
    let child: Program | null;
    let origin: string;
    if (r < 0.2) {
      child = perturbConstants(parent.program, parent.sigma, rng, lookup, grammar);
      origin = `constants of #${parent.id}`;
    } else if (r < 0.4 && population.length > 1) {
      const other = pick();
      child = crossover(parent.program, other.program, lookup, rng, maxProgramSize, grammar);
      origin = `crossover of #${parent.id} and #${other.id}`;
    } else if (r < 0.6) {
      child = extend(parent.program, enumerator, lookup, rng, MUTATION_SUBTREE, maxProgramSize);
      origin = `growth of #${parent.id}`;
    } else {
      child = mutate(parent.program, enumerator, lookup, rng, MUTATION_SUBTREE, maxProgramSize);
      origin = `mutation of #${parent.id}`;
    }
    if (!child) {
      idle++;
      continue;
    }
    const signature = prober.behavior(child);
    const text = printProgram(withUsedDefines(child, grammar.defines));
    if (signature === null || signature.constant || seen.has(signature.text) || texts.has(text)) {
      if (signature && seen.has(signature.text)) equivalentSkipped++;
      idle++;
      continue;
    }
    idle = 0;
    const made = await evaluate(child, origin, signature.text);
    fromEvolution++;
    // The 1/5 success rule (Rechenberg): widen the step after a success, narrow it after a failure.
    if (origin.startsWith('constants')) {
      if (made.ladder.fitness > parent.ladder.fitness) made.sigma = parent.sigma * 1.5;
      else parent.sigma = Math.max(0.01, parent.sigma * 0.9);
    }
  }
  if (curve.length > 0) curve.push({ evaluated: evaluatedCount, games: searchGames, elapsedMs: Math.round(elapsed()), bestFitness });

  // 4. The final measurement of the best programs, on fresh openings.
  phase = 'measure';
  report();
  const finalists = [...all].sort(better).slice(0, keepBest);
  let measurementGames = 0;
  const best: SynthProgramReport[] = [];
  for (const c of finalists) {
    const measured = await o.ladder.measure(`program:${join(o.workDir, `candidate-${c.id}.arb`)}`, deriveSeed(o.seed, 'measure'), finalGames);
    measurementGames += measured.reduce((n, r) => n + r.games, 0);
    best.push({ text: c.text, size: c.size, origin: c.origin, fitness: c.ladder.fitness, search: c.ladder.rungs, measured });
    report();
  }
  // Best first by the measurement (its games were not used to select), then by search fitness.
  const measuredScore = (p: SynthProgramReport): number => p.measured.reduce((s, r) => s + r.score, 0);
  best.sort((a, b) => measuredScore(b) - measuredScore(a) || b.fitness - a.fitness);

  return {
    game: o.game.spec,
    seed: o.seed,
    budget: o.budget,
    ladder: o.ladder.rungs,
    libraryFunctions: grammar.defines.map((d) => d.name),
    best,
    stats: {
      enumerated: enumerator.enumerated,
      keptAfterEquivalence: enumerator.kept,
      bySize: enumerator.sizes.filter(Boolean),
      enumerationComplete: complete,
      seedPrograms: seedExprs.length,
      evaluated: evaluatedCount,
      evaluatedFromEnumeration: fromEnumeration,
      evaluatedFromEvolution: fromEvolution,
      equivalentSkipped,
      gamesPlayed: searchGames + measurementGames,
      searchGames,
      measurementGames,
      elapsedMs: Math.round(elapsed()),
    },
    curve,
  };
}
