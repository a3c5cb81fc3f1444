import { createRng, deriveSeed, encodedSize, type Evaluator, type Game, type Rng } from '../core/index.js';
import { selectMove } from '../mcts/index.js';
import type { TrainConfig } from './config.js';
import { createSelfPlaySearch, type SelfPlaySearch } from './search-adapter.js';
import type { Trajectory } from './trajectory.js';

/**
 * Playing self-play games: one search per game in flight, all sharing one (batching) evaluator,
 * each game recorded as a Trajectory. How games are played lives here (random openings, playout
 * caps, resignation, move temperature); what they teach is computed from the trajectories by
 * ./targets. Runs the same in a worker thread (actor-worker.ts) and in the main thread (tests,
 * the single-thread bench peer).
 */

export type SelfPlaySettings = TrainConfig['selfplay'];

/** One game slot: its search and the per-move buffers of the game in progress, reused game after game. */
export class GameSlot {
  readonly search: SelfPlaySearch;
  private readonly inputSize: number;
  private readonly players: Int8Array;
  private readonly full: Uint8Array;
  private readonly simulations: Int32Array;
  private readonly actions: Int32Array;
  private readonly rootValues: Float32Array;
  private readonly networkValues: Float32Array;
  private readonly policies: Float32Array;
  private readonly visits: Float32Array;
  private readonly priors: Float32Array;
  private readonly inputs: Float32Array;
  private readonly masks: Uint8Array;
  private readonly maskScratch: Uint8Array;
  private readonly legal: Int32Array;

  constructor(readonly game: Game, evaluator: Evaluator, settings: SelfPlaySettings, seed: string) {
    this.search = createSelfPlaySearch(game, evaluator, settings, seed);
    const n = game.maxGameLength;
    const a = game.numActions;
    this.inputSize = encodedSize(game);
    this.players = new Int8Array(n);
    this.full = new Uint8Array(n);
    this.simulations = new Int32Array(n);
    this.actions = new Int32Array(n);
    this.rootValues = new Float32Array(n);
    this.networkValues = new Float32Array(n);
    this.policies = new Float32Array(n * a);
    this.visits = new Float32Array(n * a);
    this.priors = new Float32Array(n * a);
    this.inputs = new Float32Array(n * this.inputSize);
    this.masks = new Uint8Array(n * a);
    this.maskScratch = new Uint8Array(a);
    this.legal = new Int32Array(a);
  }

  /**
   * Plays one game with its own random stream `rng` and returns its trajectory.
   *
   * - Opening diversity (KataGo's random early forks, lc0's opening books): a share of the games
   *   starts with uniformly random moves, unsearched, so rarely chosen openings are learned too.
   * - Playout cap randomization (Wu 2019, §3.1): each move is a full search with probability
   *   `fullSearchFraction` (root noise on; it will be a sample) or a cheap one (no noise).
   * - Resignation (AlphaGo Zero, Silver et al. 2017): below −threshold for `consecutiveMoves` own
   *   moves from `minMoves` on, except in playthrough games, which only note that it would have fired.
   * - Move choice: PUCT samples by visit counts at the decaying temperature (never a move proven
   *   lost while another exists); a Gumbel root plays the action sequential halving chose, which
   *   is already a sample (Danihelka et al. 2022, §4).
   */
  async play(settings: SelfPlaySettings, rng: Rng): Promise<Trajectory> {
    const game = this.game;
    const a = game.numActions;
    const inSize = this.inputSize;
    const state = game.newInitialState();
    const search = this.search;
    search.reset();
    const lowStreak = [0, 0];
    const wouldResign = [false, false];
    const playthrough = settings.resign.enabled && rng.next() < settings.resign.playthroughFraction;
    let resignedBy = -1;
    let lastMover = -1;
    let plies = 0;
    const started = performance.now();
    const opening: number[] = [];
    const { fraction, randomMoves, randomMovesUpTo } = settings.openings;
    if (Math.max(randomMoves, randomMovesUpTo) > 0 && rng.next() < fraction) {
      const count = randomMovesUpTo > 0 ? randomMoves + rng.int(randomMovesUpTo - randomMoves + 1) : randomMoves;
      for (let k = 0; k < count && !state.isTerminal(); k++) {
        const n = state.legalActions(this.legal);
        const action = this.legal[rng.int(n)];
        lastMover = state.currentPlayer();
        state.apply(action);
        search.advance(action);
        opening.push(action);
      }
    }
    while (!state.isTerminal()) {
      const full = settings.fullSearchFraction >= 1 || rng.next() < settings.fullSearchFraction;
      const sims = full ? settings.simulations : settings.cheapSimulations;
      const result = await search.run(state, sims, full);
      const mover = state.currentPlayer();
      this.players[plies] = mover;
      this.full[plies] = full ? 1 : 0;
      this.simulations[plies] = sims;
      this.actions[plies] = -1;
      this.rootValues[plies] = result.value;
      this.networkValues[plies] = result.rawValue;
      this.policies.set(result.policy.subarray(0, a), plies * a);
      this.visits.set(result.visits.subarray(0, a), plies * a);
      this.priors.set(result.prior.subarray(0, a), plies * a);
      state.encode(this.inputs, plies * inSize);
      state.legalMask(this.maskScratch);
      this.masks.set(this.maskScratch, plies * a);
      plies++;
      if (settings.resign.enabled && state.moveNumber() >= settings.resign.minMoves && mover < 2) {
        lowStreak[mover] = result.value < -settings.resign.threshold ? lowStreak[mover] + 1 : 0;
        if (lowStreak[mover] >= settings.resign.consecutiveMoves) {
          if (!playthrough) {
            resignedBy = mover;
            break;
          }
          wouldResign[mover] = true;
        }
      }
      // The search result carries this move's sampling temperature (search-adapter.ts).
      const action = selectMove(result, state.moveNumber(), rng);
      this.actions[plies - 1] = action;
      state.apply(action);
      search.advance(action);
      lastMover = mover;
    }
    const playMs = performance.now() - started;
    const outcome = resignedBy >= 0
      ? [resignedBy === 0 ? -1 : 1, resignedBy === 1 ? -1 : 1]
      : [state.returnOf(0), state.returnOf(1)];
    const finalInputs = new Float32Array(inSize);
    state.encode(finalInputs, 0);
    return {
      game: game.spec,
      seed: rng.seed,
      openingActions: Int32Array.from(opening),
      plies,
      numActions: a,
      inputSize: inSize,
      players: this.players.slice(0, plies),
      full: this.full.slice(0, plies),
      simulations: this.simulations.slice(0, plies),
      actions: this.actions.slice(0, plies),
      rootValues: this.rootValues.slice(0, plies),
      networkValues: this.networkValues.slice(0, plies),
      policies: this.policies.slice(0, plies * a),
      visits: this.visits.slice(0, plies * a),
      priors: this.priors.slice(0, plies * a),
      inputs: this.inputs.slice(0, plies * inSize),
      masks: this.masks.slice(0, plies * a),
      outcome,
      resignation: { resignedBy, playthrough, wouldResign },
      final: { inputs: finalInputs, perspective: state.isTerminal() ? 1 - lastMover : state.currentPlayer() },
      playMs,
    };
  }
}

/**
 * Plays `games` games numbered `firstGame..` with up to `concurrency` in flight and hands each
 * trajectory to `onGame` as it finishes, with the game's random stream (continued after its last
 * move). Game i draws its move sampling, playout-cap and opening choices from
 * `deriveSeed(seed, i)`; root noise comes from its slot's search. Every stream is seeded, but which
 * slot plays which game follows the order in which games finish, so runs with several games in
 * flight repeat closely rather than bit for bit. `makeEvaluator` gives each slot its evaluator
 * handle (a BatchingEvaluator client in workers).
 */
export async function playGames(
  game: Game,
  settings: SelfPlaySettings,
  makeEvaluator: () => Evaluator,
  options: { games: number; firstGame: number; seed: string; concurrency: number },
  onGame: (trajectory: Trajectory, rng: Rng, index: number) => void,
): Promise<void> {
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
          const rng = createRng(deriveSeed(options.seed, index));
          onGame(await slot.play(settings, rng), rng, index);
        }
      } finally {
        await evaluator.close?.();
      }
    })());
  }
  await Promise.all(runners);
}
