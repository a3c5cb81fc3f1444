import { ArborError } from '../core/index.js';

/**
 * Every knob of the search, with its default, unit and reason, in one place (lc0/KataGo style).
 * Values are returns in [-1, 1] for the player concerned (win 1, draw 0, loss -1).
 */
export interface SearchOptions {
  /**
   * How a child is picked below the root (and at the root for `root: 'visits'`):
   * `puct` (AlphaZero: Q + cPuct * P * sqrt(N) / (1 + n)), `uct` (UCB1: Q + cUct * sqrt(ln N / n), for
   * random-rollout search), or `gumbel` (Gumbel MuZero's deterministic interior rule). Default: `puct`,
   * or `gumbel` when `root` is `gumbel`.
   */
  rule: 'puct' | 'uct' | 'gumbel';
  /** PUCT exploration constant (MuZero's c1 = 1.25). */
  cPuct: number;
  /**
   * First-play urgency: the Q given to unvisited children under PUCT. `reduction`: the parent's Q minus
   * `value` (Leela Zero / lc0), `absolute`: exactly `value` (AlphaZero's pseudocode used 0 here).
   */
  fpu: { mode: 'reduction' | 'absolute'; value: number };
  /** UCB1 constant on [-1, 1] returns (1.4 here is about 0.7 on bgio's [0, 1] scale, which uses sqrt 2). */
  cUct: number;
  /** Leaves collected per evaluator call, with virtual loss; 1 gives plain sequential MCTS. */
  leafBatch: number;
  /** Root action selection: `visits` (selection rule + argmax visits) or `gumbel` (Danihelka et al., ICLR 2022). */
  root: 'visits' | 'gumbel';
  gumbel: {
    /** k of Gumbel-top-k: actions considered at the root (the paper's m, 16 in its Go experiments). */
    consideredActions: number;
    /** c_visit of the monotone transform sigma(q) = (c_visit + max_b N(b)) * c_scale * q (paper: 50). */
    cVisit: number;
    /** c_scale of sigma (paper: 1.0). */
    cScale: number;
    /** Scale of the Gumbel noise; 0 considers the top-k actions by prior deterministically (mctx's gumbel_scale). */
    scale: number;
  };
  /** Root Dirichlet noise (AlphaZero: alpha 0.3 chess, 0.03 Go; epsilon 0.25). Off unless asked (self-play only). */
  dirichlet: { alpha: number; epsilon: number } | null;
  /**
   * KataGo's forced playouts and policy target pruning (Wu 2019, "Accelerating Self-Play Learning
   * in Go", §3.2), for the `visits` root with PUCT: the constant k of n_forced(c) = sqrt(k P(c) N);
   * every root child gets at least that many visits, and the policy target then takes back the
   * forced visits that PUCT would not have given (KataGo: k = 2). 0 = off (self-play only).
   */
  forcedPlayouts: number;
  /**
   * Softmax temperature applied to the root's priors before the noise, P ∝ P^(1/T) (KataGo's root
   * policy temperature, 1.25 early in a game decaying to 1.1; docs/KataGoMethods.md). 1 = off (self-play only).
   */
  rootPolicyTemperature: number;
  /**
   * Softmax temperature applied to every node's priors at expansion, P ∝ P^(1/T) (lc0's
   * PolicySoftmaxTemp): T > 1 flattens the network's policy so the search also looks at moves the
   * policy rates low. 1 = off.
   */
  policyTemperature: number;
  /** Sampling temperature used by `selectMove` for the first `temperatureMoves` moves of a game; 0 = argmax. */
  temperature: number;
  temperatureMoves: number;
  /** MCTS-solver (Winands et al., 2008): propagate proven wins, losses and draws. */
  solver: boolean;
  /** Seed of the search's own random stream (Dirichlet and Gumbel samples). */
  seed: string | number;
  /** Keep the subtree of the played move between moves (advance()). */
  reuseTree: boolean;
  /** Hard limit on tree nodes (37 bytes each); the search stops early when the tree is full. */
  maxNodes: number;
}

export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  rule: 'puct',
  cPuct: 1.25,
  fpu: { mode: 'reduction', value: 0.25 },
  cUct: 1.4,
  leafBatch: 1,
  root: 'visits',
  gumbel: { consideredActions: 16, cVisit: 50, cScale: 1.0, scale: 1.0 },
  dirichlet: null,
  forcedPlayouts: 0,
  rootPolicyTemperature: 1,
  policyTemperature: 1,
  temperature: 0,
  temperatureMoves: 0,
  solver: true,
  seed: 0,
  reuseTree: true,
  maxNodes: 1 << 23,
};

export type SearchOptionsInput = Partial<Omit<SearchOptions, 'gumbel' | 'fpu'>> & {
  gumbel?: Partial<SearchOptions['gumbel']>;
  fpu?: Partial<SearchOptions['fpu']>;
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new ArborError(`search option ${message}`);
}

/** Fills defaults and checks every option; a bad value is one ArborError naming the allowed range. */
export function resolveSearchOptions(input: SearchOptionsInput = {}): SearchOptions {
  const d = DEFAULT_SEARCH_OPTIONS;
  const root = input.root ?? d.root;
  const o: SearchOptions = {
    ...d,
    ...input,
    root,
    rule: input.rule ?? (root === 'gumbel' ? 'gumbel' : d.rule),
    fpu: { ...d.fpu, ...input.fpu },
    gumbel: { ...d.gumbel, ...input.gumbel },
    dirichlet: input.dirichlet === undefined ? d.dirichlet : input.dirichlet,
  };
  check(['puct', 'uct', 'gumbel'].includes(o.rule), `rule=${o.rule} is unknown; use puct, uct or gumbel`);
  check(['visits', 'gumbel'].includes(o.root), `root=${o.root} is unknown; use visits or gumbel`);
  check(Number.isFinite(o.cPuct) && o.cPuct >= 0, `cPuct=${o.cPuct} must be a number >= 0`);
  check(Number.isFinite(o.cUct) && o.cUct >= 0, `cUct=${o.cUct} must be a number >= 0`);
  check(['reduction', 'absolute'].includes(o.fpu.mode), `fpu.mode=${o.fpu.mode} is unknown; use reduction or absolute`);
  check(Number.isFinite(o.fpu.value), `fpu.value=${o.fpu.value} must be a number`);
  check(Number.isInteger(o.leafBatch) && o.leafBatch >= 1 && o.leafBatch <= 4096, `leafBatch=${o.leafBatch} must be an integer in 1..4096`);
  const g = o.gumbel;
  check(Number.isInteger(g.consideredActions) && g.consideredActions >= 1, `gumbel.consideredActions=${g.consideredActions} must be an integer >= 1`);
  check(Number.isFinite(g.cVisit) && g.cVisit >= 0, `gumbel.cVisit=${g.cVisit} must be a number >= 0`);
  check(Number.isFinite(g.cScale) && g.cScale >= 0, `gumbel.cScale=${g.cScale} must be a number >= 0`);
  check(Number.isFinite(g.scale) && g.scale >= 0, `gumbel.scale=${g.scale} must be a number >= 0`);
  if (o.dirichlet) {
    check(Number.isFinite(o.dirichlet.alpha) && o.dirichlet.alpha > 0, `dirichlet.alpha=${o.dirichlet.alpha} must be a number > 0`);
    check(Number.isFinite(o.dirichlet.epsilon) && o.dirichlet.epsilon >= 0 && o.dirichlet.epsilon <= 1, `dirichlet.epsilon=${o.dirichlet.epsilon} must be in 0..1`);
  }
  check(Number.isFinite(o.forcedPlayouts) && o.forcedPlayouts >= 0, `forcedPlayouts=${o.forcedPlayouts} must be a number >= 0 (KataGo's k is 2; 0 = off)`);
  check(o.forcedPlayouts === 0 || (o.root === 'visits' && o.rule === 'puct'), `forcedPlayouts=${o.forcedPlayouts} needs root=visits with rule=puct (the pruning reads PUCT scores); set it to 0 or use the PUCT root`);
  check(Number.isFinite(o.rootPolicyTemperature) && o.rootPolicyTemperature > 0, `rootPolicyTemperature=${o.rootPolicyTemperature} must be a number > 0 (1 = off; KataGo uses 1.1-1.25)`);
  check(Number.isFinite(o.policyTemperature) && o.policyTemperature > 0, `policyTemperature=${o.policyTemperature} must be a number > 0 (1 = off; lc0 uses 1.36)`);
  check(Number.isFinite(o.temperature) && o.temperature >= 0, `temperature=${o.temperature} must be a number >= 0`);
  check(Number.isInteger(o.temperatureMoves) && o.temperatureMoves >= 0, `temperatureMoves=${o.temperatureMoves} must be an integer >= 0`);
  check(Number.isInteger(o.maxNodes) && o.maxNodes >= 1024, `maxNodes=${o.maxNodes} must be an integer >= 1024`);
  return o;
}
