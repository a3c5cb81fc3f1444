/**
 * Training presets, one place for every knob (in the spirit of lc0's and KataGo's config files:
 * each value has a default, a one-line reason and a unit). `quick` is a demo that finishes in
 * minutes on a laptop; `standard` is meant for real strength. Any value can be overridden with
 * `arbor train --config FILE` (a JSON object with the same shape, only the keys to change).
 *
 * Sources for the techniques switched on or off here:
 * - Playout cap randomization: Wu, "Accelerating Self-Play Learning in Go" (KataGo), 2019, §3.1:
 *   a fraction p of moves gets the full budget and becomes a policy target; the other moves get
 *   a cheap budget, no root noise, and are not recorded.
 * - Gumbel root: Danihelka et al., "Policy improvement by planning with Gumbel", ICLR 2022:
 *   Gumbel-top-k sampling + sequential halving improves the policy even with very few
 *   simulations; the training target is the completed-Q improved policy.
 * - Replay window: KataGo (Wu 2019, appendix "Training"): window = c(1 + β((N/c)^α − 1)/α) rows
 *   once N > c rows have been generated, so early poor data leaves the window quickly.
 * - Resignation with a playthrough fraction: AlphaGo Zero (Silver et al. 2017, "Methods"): resign
 *   below a value threshold, but play 10% of games out to measure false resignations; lc0's
 *   `resign-playthrough` is the same idea.
 * - Value target mixing z and q: Prasad, Abrams et al., "Lessons from AlphaZero for Optimal,
 *   Oracle-Validated Connect Four", part 4 "Improving the Training Target" (Oracle AI blog, 2018):
 *   the average of the game result z and the root search value q trained a stronger Connect Four
 *   network than z alone (z is noisy under move sampling, q is biased by the current network).
 * - TD(λ) value target: Sutton, "Learning to predict by the methods of temporal differences", 1988,
 *   with the later moves' root search values in place of a value function, as KataGo's short-term
 *   value targets (docs/KataGoMethods.md) average future MCTS values: a mistake played many moves
 *   after a position no longer decides its target alone.
 * - Learning-rate annealing late in the budget: AlphaZero / AlphaGo Zero drop the rate in steps
 *   late in training; here a half-cosine over the last 30% of the budget (src/selfplay/lr-anneal.ts).
 * - Ownership target: Wu 2019, §4.1 (KataGo): an auxiliary head predicts each cell's final owner
 *   (loss weight 1.5 per board), a dense signal about how the game goes on that trained Go nets
 *   faster; here read off the final position's own/opp piece planes.
 * - Temperature: AlphaZero samples moves proportionally to visits early in the game; KataGo
 *   decays the temperature with a half-life in moves (selfplay1.cfg: chosenMoveTemperatureEarly
 *   0.75 → 0.15). We use an initial temperature that halves every `halfLifeMoves` moves down to
 *   `final`.
 */

import type { PresetName, TrainConfigInput } from './config-schema.js';

export { PRESET_NAMES, type PresetName } from './config-schema.js';

/** A partial config: every field is optional and deep-merged over `basePreset`. */
export type PresetPatch = DeepPartial<TrainConfigInput>;
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults shared by every game; per-game presets below change what differs. */
export const basePreset: Omit<TrainConfigInput, 'game' | 'preset' | 'seed'> = {
  // games: (game specs) absent = one board size; two or more sizes of one game = one network for all of them, e.g. ["connect4:rows=4,cols=5", "connect4:rows=5,cols=6"] (board-sizes.ts; `arbor train --sizes`)
  // gameWeights: (weights, one per entry of games) how often each size is drawn per self-play game; absent = uniform
  model: {}, // (networks) empty: the game's default model from src/networks (defaultModelConfig)
  selfplay: {
    workers: 0, // (threads) 0 = the default: one per CPU core, one fewer above two cores (the learner keeps one; src/core/workers.ts); each runs ONNX Runtime with one intra-op thread
    concurrentGames: 16, // (games per worker) leaf evaluations of these games are batched into one inference call
    gamesPerIteration: 64, // (games) self-play games between two learner phases
    simulations: 100, // (visits) full search budget per move; these moves become policy targets
    cheapSimulations: 25, // (visits) budget of the cheap moves under playout cap randomization
    fullSearchFraction: 0.25, // (fraction of moves) KataGo's p; 1 turns playout cap randomization off
    valueTargetQWeight: 0, // (fraction) value target (1−w)·z + w·q: 0 = the game result z alone (AlphaZero); see the sources above
    valueTargetLambda: 1, // (λ) z above is the TD(λ) return over the later moves' root values: 1 = the game result itself (AlphaZero); see the sources above
    root: 'puct', // (puct|gumbel) root action selection; gumbel is for small budgets (Danihelka 2022)
    consideredActions: 16, // (actions) m of Gumbel-top-k at the root (Gumbel roots only)
    cPuct: 1.5, // (unitless) exploration constant of PUCT (AlphaZero used ~1.25–2.5 at our visit counts)
    dirichletAlpha: 0.3, // (concentration) AlphaZero chess used 0.3; scale ~10/legal moves per game
    dirichletEpsilon: 0.25, // (fraction of prior) AlphaZero's root noise share
    rootPolicyTemperature: {
      initial: 1, // (temperature) P ∝ P^(1/T) on the root priors of full searches, before the noise: T > 1 keeps self-play exploring nearly equal moves (KataGo's rootPolicyTemperature after SAI, docs/KataGoMethods.md; KataGo 1.25 early); 1 = off
      final: 1, // (temperature) ... decaying towards this (KataGo 1.1)
      halfLifeMoves: 7, // (moves) ... with this half-life (KataGo: the board's side length)
    },
    surpriseWeighting: {
      policy: 0, // (share of a game's sample weight) given in proportion to KL(policy target ‖ prior): surprising positions are written more often (KataGo's policy surprise weighting, docs/KataGoMethods.md; KataGo 0.5); 0 = off
      value: 0, // (share) given in proportion to (game result − network value)², the result being the TD(λ) return when valueTargetLambda < 1 (KataGo's experimental value surprise weight, 0.1); 0 = off
    },
    forcedPlayouts: 0, // (k) KataGo's forced playouts sqrt(k·P·N) at the noised root, pruned from the policy target (Wu 2019 §3.2; KataGo k = 2); 0 = off; puct root only
    leafBatch: 8, // (leaves) leaves gathered per search step with virtual loss before one evaluation
    cacheSize: 65_536, // (positions) evaluation cache per worker and iteration, as OpenSpiel/KataGo/lc0 keep one; 0 = off
    overlapTraining: true, // (bool) actors play the next batch while the learner trains, with a model one iteration old
    temperature: {
      initial: 1, // (temperature) proportional-to-visits sampling at the start, for opening diversity
      final: 0.1, // (temperature) near-greedy late in the game
      halfLifeMoves: 6, // (moves) temperature above `final` halves this often (KataGo-style decay)
    },
    openings: {
      fraction: 0, // (fraction of games) that start with random moves (KataGo's early forks); 0 = off
      randomMoves: 1, // (moves) uniformly random, unrecorded moves at the start of those games
      randomMovesUpTo: 0, // (moves) 0 = exactly randomMoves; N = a count drawn uniformly from randomMoves..N per game
    },
    resign: {
      enabled: false, // (bool) off by default: small games end quickly anyway
      threshold: 0.9, // (|value|) resign when the mover's root value is below −threshold
      consecutiveMoves: 2, // (moves) ... for this many own moves in a row
      playthroughFraction: 0.1, // (fraction of games) never resign, to measure false resignations (AlphaGo Zero: 10%)
      minMoves: 6, // (moves) no resignation before this move number
    },
  },
  replay: {
    windowMin: 2_000, // (positions) c of the KataGo window: everything is kept until this many positions exist
    windowMax: 500_000, // (positions) hard cap on the window, to bound memory
    windowExponent: 0.75, // (α) KataGo's taper exponent
    windowGrowth: 0.4, // (β) KataGo's growth rate of the window beyond c
    sampleReuse: 4, // (trained samples per new position) held constant, the reuse ratio of KataGo/OpenSpiel
    minPositions: 500, // (positions) no training until the buffer holds this many
  },
  training: {
    batchSize: 128, // (positions) per gradient step
    optimizer: 'adam', // (adam|sgd) Adam needs no learning-rate tuning per game at these scales; AlphaZero used SGD+momentum
    learningRate: 0.002, // (step size) for the networks Trainer's optimizer
    weightDecay: 0.0001, // (L2 coefficient) AlphaZero used 1e-4 (the Trainer's `l2`)
    learningRateDecay: {
      start: 0.7, // (share of the --minutes/--iterations budget) the learning rate stays constant until then
      finalFactor: 0.1, // (multiplier) ... then falls along a half-cosine to this share of learningRate at the end of the budget
    },
    augmentSymmetry: true, // (bool) each sample is drawn under a random symmetry of the game
    ownershipWeight: 0, // (loss weight) > 0 adds KataGo's ownership head and target (each cell's final owner; Wu 2019 §4.1, KataGo 1.5); 0 = off
    checkpointEvery: 1, // (iterations) weights + optimizer + replay + RNG are saved this often
    keepCheckpoints: 5, // (checkpoints) older ones are deleted, except those kept for evaluation
  },
  evaluation: {
    every: 5, // (iterations) run the arena and the oracle this often (and at the end)
    gamesPerOpponent: 20, // (games) both colours, randomised first moves
    simulations: 50, // (visits) the trained agent's budget in the arena
    opponents: ['random', 'greedy'], // (agent specs) fixed references
    previousCheckpoints: 2, // (checkpoints) also play the last few evaluated checkpoints
    oracle: true, // (bool) perfect-play metrics where a solver exists (tictactoe, connect4)
    oraclePositions: 200, // (positions) labelled positions for the optimal-move rate
    perfectPlayGames: 0, // (games) against the solver at each evaluation, starting as the closing test does (final.minStones); 0 = off
  },
  gating: {
    enabled: false, // (bool) off: AlphaZero uses every new network at once; on: AlphaGo Zero's gate (a candidate must beat the current self-play model)
    games: 40, // (games) at most, paired colours; the SPRT usually stops earlier
    simulations: 32, // (visits) both sides' budget in gating games
    elo0: 0, // (Elo) SPRT null hypothesis: the candidate is no better
    elo1: 35, // (Elo) SPRT alternative hypothesis: the candidate is this much better
    alpha: 0.05, // (probability) of accepting a candidate that is no better
    beta: 0.05, // (probability) of rejecting a candidate that is elo1 better
    acceptScore: 0.55, // (score) when the SPRT has not decided after `games`: accept at AlphaGo Zero's 55%
  },
  stop: {
    iterations: 0, // (iterations) 0 = no limit; --iterations overrides
    minutes: 10, // (minutes) wall-clock budget; --minutes overrides
  },
  distributed: {
    maxModelLag: 4, // (model versions) with --redis: a game played with a model this many versions older than the current one is dropped (counted, not trained on)
    streamMaxLen: 20000, // (games) with --redis: the positions stream is trimmed to about this many records (XADD MAXLEN ~); the learner reads far faster than actors play
  },
  final: {
    simulations: 50, // (visits) the trained agent's budget for the closing perfect-play test
    games: 0, // (games) against the solver, both colours (two games per start); 0 = skip (the Connect Four solver needs minutes per early move off its book)
    minStones: 0, // (stones) 0 = start from one random first move (tic-tac-toe); N > 0 = start from the game's shipped labelled positions with at least N stones, where the solver answers in milliseconds
  },
};

/** Per-game patches for each preset, deep-merged over `basePreset`. */
export const gamePresets: Record<string, Partial<Record<PresetName, PresetPatch>>> = {
  tictactoe: {
    quick: {
      model: { filters: 32, blocks: 2 }, // a 3×3 board needs a tiny net; this trains in seconds
      selfplay: {
        concurrentGames: 32, // games are 5–9 moves, so many in flight keep the batch full
        gamesPerIteration: 128, // (games) ~900 positions per iteration
        simulations: 48, // (visits) tic-tac-toe's tree is small; 48 full visits see most tactics
        cheapSimulations: 12, // (visits) cheap moves still avoid blunders
        fullSearchFraction: 0.5, // (fraction) short games: keep more policy targets
        dirichletAlpha: 1.0, // (concentration) ~10/9 legal moves
        temperature: { initial: 1, final: 0.1, halfLifeMoves: 2 },
        openings: { fraction: 0.5, randomMoves: 1 }, // the closing test starts from every first move, edges included
      },
      replay: { windowMin: 4_000, minPositions: 300, sampleReuse: 6 },
      training: { batchSize: 128, learningRate: 0.003 },
      evaluation: { every: 4, gamesPerOpponent: 20, simulations: 32, opponents: ['random', 'greedy'], perfectPlayGames: 20 },
      stop: { minutes: 2 }, // (minutes) measured: search+net never loses to the solver after ~1 min; 2 leave margin, and the whole command stays under 3
      final: { simulations: 32, games: 100 },
    },
    standard: {
      model: { filters: 48, blocks: 3 },
      selfplay: { simulations: 100, cheapSimulations: 25, dirichletAlpha: 1.0, temperature: { initial: 1, final: 0.1, halfLifeMoves: 2 } },
      replay: { windowMin: 10_000 },
      evaluation: { perfectPlayGames: 20 },
      stop: { minutes: 10 },
      final: { simulations: 50, games: 100 },
    },
  },
  connect4: {
    quick: {
      selfplay: { simulations: 64, cheapSimulations: 16, dirichletAlpha: 1.0 },
      replay: { windowMin: 10_000, minPositions: 1_000 },
      evaluation: { every: 5, opponents: ['random', 'greedy', 'uct:simulations=200'], perfectPlayGames: 100 }, // (games) ~5 s from >= 15-stone starts
      stop: { minutes: 10 },
      // (stones) minStones 15 = Pons' "middle" stage and later: there the solver agent takes ~1.5 ms
      // per move on average (worst ~150 ms), against ~85 ms (worst 1.2 s) at 12-14 stones and
      // minutes on early positions off its book. (games) 1000 = 500 of the 920 labelled starts with
      // >= 15 stones, each with both colours: measured ~50 s on 2 cores for search (50 visits) and
      // raw net together (a 60-minute standard checkpoint), and the kept-result share to ~±2%.
      final: { simulations: 50, games: 1000, minStones: 15 },
    },
    standard: {
      selfplay: {
        concurrentGames: 32, // (games per worker) fills ORT batches of ~32×leafBatch
        gamesPerIteration: 128,
        simulations: 200, // (visits) full budget; the same budget the evaluation below plays the trained agent at
        cheapSimulations: 50, // (visits) KataGo's cheap:full ratio is 1:6; 1:4 here at small budgets
        fullSearchFraction: 0.25, // (fraction) KataGo's p
        valueTargetQWeight: 0.5, // (fraction) Oracle's Connect Four study found the z/q average best
        dirichletAlpha: 1.0, // (concentration) ~10/7 legal moves
        temperature: { initial: 1, final: 0.1, halfLifeMoves: 8 },
        // (fraction, moves) half the games start from 1-8 random moves: positions off the self-play
        // line (the arena's random openings, the labelled sets' random/greedy games) are learned
        // too. Measured against a quarter of the games from one random move (60-minute runs, one
        // each): decisive positions 94.3 -> 95.0% (search), 89.9 -> 90.0% (raw net); closing test
        // 958 -> 970 of 1000.
        openings: { fraction: 0.5, randomMoves: 1, randomMovesUpTo: 8 },
        resign: { enabled: true, threshold: 0.95, consecutiveMoves: 3, playthroughFraction: 0.1, minMoves: 12 },
      },
      replay: { windowMin: 50_000, minPositions: 2_000, sampleReuse: 4 }, // ~2 iterations of data before the first step
      training: { batchSize: 256, learningRate: 0.002 },
      // (iterations) every 20: each evaluation (~40 s, mostly the uct:simulations=2000 games) is self-play time lost
      evaluation: { every: 20, gamesPerOpponent: 40, simulations: 200, opponents: ['random', 'greedy', 'uct:simulations=2000'], perfectPlayGames: 100 },
      stop: { minutes: 60 },
      final: { simulations: 50, games: 1000, minStones: 15 }, // (visits, games, stones) as in quick
    },
  },
  gomoku: {
    quick: { selfplay: { simulations: 64, cheapSimulations: 16, dirichletAlpha: 0.15 }, stop: { minutes: 10 } },
    standard: { selfplay: { simulations: 200, cheapSimulations: 50, dirichletAlpha: 0.1 }, replay: { windowMin: 100_000 }, stop: { minutes: 120 } },
  },
  othello: {
    quick: { selfplay: { simulations: 64, cheapSimulations: 16, dirichletAlpha: 1.0 }, stop: { minutes: 10 } },
    standard: { selfplay: { simulations: 200, cheapSimulations: 50, dirichletAlpha: 1.0 }, replay: { windowMin: 100_000 }, stop: { minutes: 120 } },
  },
  hex: {
    quick: { selfplay: { simulations: 64, cheapSimulations: 16, dirichletAlpha: 0.3 }, stop: { minutes: 10 } },
    standard: { selfplay: { simulations: 200, cheapSimulations: 50, dirichletAlpha: 0.2 }, replay: { windowMin: 100_000 }, stop: { minutes: 120 } },
  },
  breakthrough: {
    quick: { selfplay: { simulations: 64, cheapSimulations: 16, dirichletAlpha: 0.5 }, stop: { minutes: 10 } },
    standard: { selfplay: { simulations: 200, cheapSimulations: 50, dirichletAlpha: 0.3 }, replay: { windowMin: 100_000 }, stop: { minutes: 120 } },
  },
};

/** Deep merge: plain objects merge key by key; arrays and scalars replace. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The preset values for a game id (games without their own entry use the base values). */
export function presetFor(gameId: string, preset: PresetName): Omit<TrainConfigInput, 'game' | 'preset' | 'seed'> {
  return deepMerge(basePreset, gamePresets[gameId]?.[preset] ?? {});
}
