import { ArborError, createRng, deriveSeed, encodedSize, type Game, type Rng, type Evaluator } from '../core/index.js';
import { selectMove } from '../mcts/index.js';
import { createSelfPlaySearch, type SelfPlaySearch } from './search-adapter.js';
import { moveTemperature } from './temperature.js';
import type { TrainConfig } from './config.js';
import { boardCells, emptyChunk, type SampleChunk } from './replay-buffer.js';
import { policySurprise, surpriseCopies } from './surprise-weighting.js';

/**
 * Self-play games: one search per game in flight, all sharing one (batching) evaluator, and the
 * positions of full-budget moves recorded as training samples. Runs the same in a worker thread
 * (actor-worker.ts) and in the main thread (tests, the single-thread bench peer).
 */

export type SelfPlaySettings = TrainConfig['selfplay'];

export interface SelfPlayStats {
  games: number;
  /** Every move played (full and cheap). */
  moves: number;
  /** Samples written (full-budget moves only; under surprise weighting a position written k times counts k). */
  samples: number;
  /** Games won by the first player, the second, and drawn. */
  firstWins: number;
  secondWins: number;
  draws: number;
  resigned: number;
  playthroughGames: number;
  /** Playthrough games in which a player would have resigned but did not lose. */
  falseResignations: number;
  simulations: number;
  searchMs: number;
}

export function emptyStats(): SelfPlayStats {
  return { games: 0, moves: 0, samples: 0, firstWins: 0, secondWins: 0, draws: 0, resigned: 0, playthroughGames: 0, falseResignations: 0, simulations: 0, searchMs: 0 };
}

export function addStats(into: SelfPlayStats, s: SelfPlayStats): void {
  for (const k of Object.keys(into) as (keyof SelfPlayStats)[]) into[k] += s[k];
}

/**
 * Indices of the input planes holding the mover's and the opponent's pieces (`own:stone` and
 * `opp:stone`, or `own:pawn` and `opp:pawn`), from which ownership targets are read off the final
 * position. Throws for games without them or with more than two players.
 */
export function ownershipPlanes(game: Game): [number, number] {
  const planes = game.encoding.planes;
  if (game.numPlayers !== 2) throw new ArborError(`ownership targets need a two-player game, and ${game.spec} has ${game.numPlayers} players; set training.ownershipWeight to 0`);
  for (const piece of ['stone', 'pawn']) {
    const own = planes.indexOf(`own:${piece}`);
    const opp = planes.indexOf(`opp:${piece}`);
    if (own >= 0 && opp >= 0) return [own, opp];
  }
  throw new ArborError(`ownership targets need own:stone/opp:stone (or own:pawn/opp:pawn) input planes, and ${game.spec} has ${planes.join(', ')}; set training.ownershipWeight to 0`);
}

/** One game slot: its search and preallocated buffers, reused game after game. */
class GameSlot {
  readonly search: SelfPlaySearch;
  readonly inputs: Float32Array;
  readonly policies: Float32Array;
  readonly masks: Uint8Array;
  readonly movers: Int8Array;
  /** Root search value of each recorded move for its mover (for the z/q value-target mix). */
  readonly rootValues: Float32Array;
  /** Per searched move (full or cheap): its root value and mover, for the TD(λ) value target. */
  readonly plyValues: Float32Array;
  readonly plyMovers: Int8Array;
  /** Per searched move: the λ-return for its mover (the game result z when λ = 1). */
  readonly plyReturns: Float32Array;
  /** Per recorded move: the index of its searched move in the arrays above. */
  readonly recordedPly: Int32Array;
  readonly maskScratch: Uint8Array;
  readonly legal: Int32Array;
  /** The encoded final position (ownership targets are read from its piece planes). */
  readonly finalInputs: Float32Array;
  /** Per recorded move: KL(policy target ‖ network prior), and the network's value for its mover. */
  readonly policySurprises: Float32Array;
  readonly rawValues: Float32Array;
  /** Per recorded move: (game result, or its λ-return, − network value)², then how often it is written (surprise weighting). */
  readonly valueSurprises: Float32Array;
  readonly copies: Int32Array;

  constructor(readonly game: Game, evaluator: Evaluator, settings: SelfPlaySettings, seed: string) {
    this.search = createSelfPlaySearch(game, evaluator, settings, seed);
    const n = game.maxGameLength;
    this.inputs = new Float32Array(n * encodedSize(game));
    this.policies = new Float32Array(n * game.numActions);
    this.masks = new Uint8Array(n * game.numActions);
    this.movers = new Int8Array(n);
    this.rootValues = new Float32Array(n);
    this.plyValues = new Float32Array(n);
    this.plyMovers = new Int8Array(n);
    this.plyReturns = new Float32Array(n);
    this.recordedPly = new Int32Array(n);
    this.maskScratch = new Uint8Array(game.numActions);
    this.legal = new Int32Array(game.numActions);
    this.finalInputs = new Float32Array(encodedSize(game));
    this.policySurprises = new Float32Array(n);
    this.rawValues = new Float32Array(n);
    this.valueSurprises = new Float32Array(n);
    this.copies = new Int32Array(n);
  }
}

/** Growable chunk builder; positions of finished games are appended. */
class ChunkBuilder {
  chunk: SampleChunk;
  private readonly inSize: number;
  private readonly cells: number;
  /**
   * @param qWeight share of the search's root value in the value target: (1 − w)·z + w·q, where z
   * is the outcome for the mover (the game result, or its λ-return: lambdaReturns) and q the root
   * value of the recorded move's search.
   * @param pieces the own/opp piece planes (ownershipPlanes) when ownership targets are recorded.
   */
  constructor(private readonly game: Game, capacity: number, private readonly qWeight: number, private readonly pieces: [number, number] | null) {
    this.chunk = emptyChunk(game, capacity, pieces !== null);
    this.chunk.count = 0;
    this.inSize = encodedSize(game);
    this.cells = boardCells(game);
  }
  /**
   * Appends a finished game's recorded positions, position i `copies[i]` times (surprise
   * weighting), or each once when `copies` is null. `finalPerspective` is the player from whose
   * side `slot.finalInputs` was encoded (ownership targets flip sign for the other player's moves).
   */
  append(slot: GameSlot, recorded: number, finalPerspective: number, copies: Int32Array | null): number {
    let written = recorded;
    if (copies) {
      written = 0;
      for (let i = 0; i < recorded; i++) written += copies[i];
    }
    const need = this.chunk.count + written;
    if (need * this.inSize > this.chunk.inputs.length) {
      const bigger = emptyChunk(this.game, Math.max(need, this.chunk.values.length * 2), this.pieces !== null);
      bigger.inputs.set(this.chunk.inputs);
      bigger.policies.set(this.chunk.policies);
      bigger.values.set(this.chunk.values);
      bigger.masks.set(this.chunk.masks);
      if (bigger.ownership && this.chunk.ownership) bigger.ownership.set(this.chunk.ownership);
      bigger.count = this.chunk.count;
      this.chunk = bigger;
    }
    const a = this.game.numActions;
    const c = this.chunk;
    const inSize = this.inSize;
    const cells = this.cells;
    const w = this.qWeight;
    const own = this.pieces ? this.pieces[0] * cells : 0;
    const opp = this.pieces ? this.pieces[1] * cells : 0;
    const f = slot.finalInputs;
    for (let i = 0; i < recorded; i++) {
      const value = (1 - w) * slot.plyReturns[slot.recordedPly[i]] + w * slot.rootValues[i];
      const sign = slot.movers[i] === finalPerspective ? 1 : -1;
      for (let k = copies ? copies[i] : 1; k > 0; k--) {
        const at = c.count++;
        c.inputs.set(slot.inputs.subarray(i * inSize, (i + 1) * inSize), at * inSize);
        c.policies.set(slot.policies.subarray(i * a, (i + 1) * a), at * a);
        c.masks.set(slot.masks.subarray(i * a, (i + 1) * a), at * a);
        c.values[at] = value;
        if (this.pieces && c.ownership) {
          const base = at * cells;
          for (let cell = 0; cell < cells; cell++) c.ownership[base + cell] = sign * (f[own + cell] - f[opp + cell]);
        }
      }
    }
    return written;
  }
  get recordsOwnership(): boolean {
    return this.pieces !== null;
  }
  /** The chunk trimmed to its count (copies, so it can be transferred to another thread). */
  finish(): SampleChunk {
    const c = this.chunk;
    const a = this.game.numActions;
    return {
      count: c.count,
      inputs: c.inputs.slice(0, c.count * this.inSize),
      policies: c.policies.slice(0, c.count * a),
      values: c.values.slice(0, c.count),
      masks: c.masks.slice(0, c.count * a),
      ownership: c.ownership?.slice(0, c.count * this.cells),
    };
  }
}

/**
 * Plays one game in `slot` with its own random stream. Playout cap randomization (Wu 2019): each
 * move is a full search with probability `fullSearchFraction` (root noise on, recorded as a
 * sample) or a cheap one (no noise, not recorded). Resignation follows AlphaGo Zero: below
 * −threshold for `consecutiveMoves` own moves, except in playthrough games, which only count
 * whether the resignation would have been wrong.
 */
async function playOneGame(slot: GameSlot, settings: SelfPlaySettings, rng: Rng, builder: ChunkBuilder, stats: SelfPlayStats): Promise<void> {
  const game = slot.game;
  const inSize = encodedSize(game);
  const a = game.numActions;
  const state = game.newInitialState();
  slot.search.reset();
  let recorded = 0;
  const lowStreak = [0, 0];
  const wouldResign = [false, false];
  const playthrough = settings.resign.enabled && rng.next() < settings.resign.playthroughFraction;
  let resignedBy = -1;
  const weighting = settings.surpriseWeighting.policy > 0 || settings.surpriseWeighting.value > 0;
  let lastMover = -1;
  let plies = 0;
  const started = performance.now();
  // Opening diversity (KataGo's random early forks, lc0's opening books): some games start with
  // uniformly random moves, unrecorded, so rarely chosen openings are learned too.
  const { fraction, randomMoves, randomMovesUpTo } = settings.openings;
  if (Math.max(randomMoves, randomMovesUpTo) > 0 && rng.next() < fraction) {
    const count = randomMovesUpTo > 0 ? randomMoves + rng.int(randomMovesUpTo - randomMoves + 1) : randomMoves;
    for (let k = 0; k < count && !state.isTerminal(); k++) {
      const n = state.legalActions(slot.legal);
      const action = slot.legal[rng.int(n)];
      state.apply(action);
      slot.search.advance(action);
    }
  }
  while (!state.isTerminal()) {
    const full = settings.fullSearchFraction >= 1 || rng.next() < settings.fullSearchFraction;
    const sims = full ? settings.simulations : settings.cheapSimulations;
    const result = await slot.search.run(state, sims, full);
    stats.simulations += sims;
    const mover = state.currentPlayer();
    slot.plyValues[plies] = result.value;
    slot.plyMovers[plies] = mover;
    if (full && recorded < game.maxGameLength) {
      slot.recordedPly[recorded] = plies;
      state.encode(slot.inputs, recorded * inSize);
      slot.policies.set(result.policy.subarray(0, a), recorded * a);
      state.legalMask(slot.maskScratch);
      slot.masks.set(slot.maskScratch, recorded * a);
      slot.movers[recorded] = mover;
      slot.rootValues[recorded] = result.value;
      if (weighting) {
        slot.policySurprises[recorded] = policySurprise(result.policy, result.prior, a);
        slot.rawValues[recorded] = result.rawValue;
      }
      recorded++;
    }
    if (settings.resign.enabled && state.moveNumber() >= settings.resign.minMoves && mover < 2) {
      lowStreak[mover] = result.value < -settings.resign.threshold ? lowStreak[mover] + 1 : 0;
      if (lowStreak[mover] >= settings.resign.consecutiveMoves) {
        if (!playthrough) {
          resignedBy = mover;
          plies++;
          break;
        }
        wouldResign[mover] = true;
      }
    }
    // PUCT: sample by visit counts at the decaying temperature (never a move proven lost while
    // another exists); Gumbel: selectMove plays the action sequential halving chose, which is
    // already a sample (Danihelka et al. 2022, §4).
    const temperature = moveTemperature(settings.temperature, state.moveNumber());
    const action = selectMove({ ...result, sampling: { temperature, temperatureMoves: Infinity, sampled: result.sampling.sampled } }, state.moveNumber(), rng);
    state.apply(action);
    slot.search.advance(action);
    lastMover = mover;
    plies++;
    stats.moves++;
  }
  stats.searchMs += performance.now() - started;
  const returns = [0, 0];
  if (resignedBy >= 0) {
    returns[resignedBy] = -1;
    returns[1 - resignedBy] = 1;
    stats.resigned++;
  } else {
    returns[0] = state.returnOf(0);
    returns[1] = state.returnOf(1);
  }
  if (playthrough) {
    stats.playthroughGames++;
    if ((wouldResign[0] && returns[0] >= 0) || (wouldResign[1] && returns[1] >= 0)) stats.falseResignations++;
  }
  // The final position's pieces, for ownership targets. A finished game encodes from the side of
  // the player who would move next, i.e. the last mover's opponent (every built-in game keeps
  // alternating its side to move into the terminal state); a resigned game stops before the
  // resigning player's move, so it encodes from that player's side.
  let finalPerspective = -1;
  if (builder.recordsOwnership && recorded > 0) {
    state.encode(slot.finalInputs, 0);
    finalPerspective = state.isTerminal() ? 1 - lastMover : state.currentPlayer();
  }
  lambdaReturns(slot.plyValues, slot.plyMovers, plies, returns, settings.valueTargetLambda, slot.plyReturns);
  let copies: Int32Array | null = null;
  if (weighting) {
    for (let i = 0; i < recorded; i++) {
      const miss = slot.plyReturns[slot.recordedPly[i]] - slot.rawValues[i];
      slot.valueSurprises[i] = miss * miss;
    }
    surpriseCopies(slot.policySurprises, slot.valueSurprises, recorded, settings.surpriseWeighting.policy, settings.surpriseWeighting.value, rng, slot.copies);
    copies = slot.copies;
  }
  const written = builder.append(slot, recorded, finalPerspective, copies);
  stats.games++;
  stats.samples += written;
  if (returns[0] > 0) stats.firstWins++;
  else if (returns[1] > 0) stats.secondWins++;
  else stats.draws++;
}

/**
 * TD(λ) returns (Sutton 1988, forward view) of one two-player game, bootstrapped from the root
 * search values of the later moves rather than a value network, as KataGo's short-term value
 * targets are (docs/KataGoMethods.md, "Short-term Value and Score Targets"). For searched move t
 * with mover m_t: G_last = z (the game result for its mover), and
 * G_t = (1 − λ)·v_{t+1} + λ·G_{t+1}, both read from m_t's side (negated when the next mover is the
 * opponent). So G_t = (1 − λ)·Σ_k λ^(k−1)·v_{t+k} + λ^(T−1−t)·z: λ = 1 is the game result z
 * alone (AlphaZero), smaller λ trusts the searches of the next ~1/(1 − λ) moves more than the
 * mistakes played after them. Writes `out[0..plies)`.
 */
export function lambdaReturns(values: Float32Array, movers: Int8Array, plies: number, returns: readonly number[], lambda: number, out: Float32Array): void {
  if (plies === 0) return;
  let g = returns[movers[plies - 1]];
  out[plies - 1] = g;
  for (let t = plies - 2; t >= 0; t--) {
    const next = (1 - lambda) * values[t + 1] + lambda * g;
    g = movers[t] === movers[t + 1] ? next : 0 - next;
    out[t] = g;
  }
}

export interface SelfPlayBatch {
  chunk: SampleChunk;
  stats: SelfPlayStats;
}

/**
 * Plays `games` games numbered `firstGame..` with up to `concurrency` in flight. Game i draws its
 * move sampling, playout-cap and opening choices from `deriveSeed(seed, i)`; root noise comes from
 * its slot's search. Every stream is seeded, but which slot plays which game follows the order in
 * which games finish, so runs repeat closely rather than bit for bit.
 * `makeEvaluator` gives each slot its evaluator handle (a BatchingEvaluator client in workers).
 */
export async function playSelfPlayGames(
  game: Game,
  settings: SelfPlaySettings,
  makeEvaluator: () => Evaluator,
  options: { games: number; firstGame: number; seed: string; concurrency: number; recordOwnership?: boolean },
): Promise<SelfPlayBatch> {
  const stats = emptyStats();
  const pieces = options.recordOwnership === true ? ownershipPlanes(game) : null;
  const builder = new ChunkBuilder(game, Math.max(16, options.games * Math.ceil(game.maxGameLength * settings.fullSearchFraction)), settings.valueTargetQWeight, pieces);
  let next = 0;
  const slots = Math.max(1, Math.min(options.concurrency, options.games));
  const runners: Promise<void>[] = [];
  for (let s = 0; s < slots; s++) {
    const evaluator = makeEvaluator();
    const slot = new GameSlot(game, evaluator, settings, deriveSeed(options.seed, 'slot', s));
    runners.push((async () => {
      try {
        while (next < options.games) {
          const index = options.firstGame + next++;
          await playOneGame(slot, settings, createRng(deriveSeed(options.seed, index)), builder, stats);
        }
      } finally {
        await evaluator.close?.();
      }
    })());
  }
  await Promise.all(runners);
  return { chunk: builder.finish(), stats };
}
