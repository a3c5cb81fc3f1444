import { z } from 'zod';
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

/**
 * A number option checked by zod; every failing check says the same one line:
 * `NAME=VALUE must be REQUIREMENT` (and the hint), e.g. `leafBatch=0 must be an integer in 1..4096`.
 */
function numberOption(name: string, rule: { int?: boolean; min?: number; above?: number; max?: number }, hint = '') {
  const kind = rule.int ? 'an integer' : 'a number';
  const requirement =
    rule.min !== undefined && rule.max !== undefined ? (rule.int ? `an integer in ${rule.min}..${rule.max}` : `in ${rule.min}..${rule.max}`)
      : rule.min !== undefined ? `${kind} >= ${rule.min}`
      : rule.above !== undefined ? `${kind} > ${rule.above}`
      : kind;
  const says = { error: (issue: { input?: unknown }) => `${name}=${String(issue.input)} must be ${requirement}${hint}` };
  let schema = z.number(says);
  if (rule.int) schema = schema.int(says);
  if (rule.min !== undefined) schema = schema.min(rule.min, says);
  if (rule.above !== undefined) schema = schema.gt(rule.above, says);
  if (rule.max !== undefined) schema = schema.max(rule.max, says);
  return schema;
}

/** One of a few names: `NAME=VALUE is unknown; use a, b or c`. */
function choiceOption<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0];
  return z.enum(values, { error: (issue: { input?: unknown }) => `${name}=${String(issue.input)} is unknown; use ${list}` });
}

function flagOption(name: string) {
  return z.boolean({ error: (issue: { input?: unknown }) => `${name}=${String(issue.input)} must be true or false` });
}

/** Names of earlier versions, so a caller still using one is told the new name. */
const RENAMED_OPTIONS: Readonly<Record<string, string>> = { batchSize: 'leafBatch', 'gumbel.maxConsideredActions': 'gumbel.consideredActions' };

const searchOptionsSchema = z
  .strictObject({
    rule: choiceOption('rule', ['puct', 'uct', 'gumbel']),
    cPuct: numberOption('cPuct', { min: 0 }),
    fpu: z.strictObject({ mode: choiceOption('fpu.mode', ['reduction', 'absolute']), value: numberOption('fpu.value', {}) }),
    cUct: numberOption('cUct', { min: 0 }),
    leafBatch: numberOption('leafBatch', { int: true, min: 1, max: 4096 }),
    root: choiceOption('root', ['visits', 'gumbel']),
    gumbel: z.strictObject({
      consideredActions: numberOption('gumbel.consideredActions', { int: true, min: 1 }),
      cVisit: numberOption('gumbel.cVisit', { min: 0 }),
      cScale: numberOption('gumbel.cScale', { min: 0 }),
      scale: numberOption('gumbel.scale', { min: 0 }),
    }),
    dirichlet: z.strictObject({ alpha: numberOption('dirichlet.alpha', { above: 0 }), epsilon: numberOption('dirichlet.epsilon', { min: 0, max: 1 }) }).nullable(),
    forcedPlayouts: numberOption('forcedPlayouts', { min: 0 }, " (KataGo's k is 2; 0 = off)"),
    rootPolicyTemperature: numberOption('rootPolicyTemperature', { above: 0 }, ' (1 = off; KataGo uses 1.1-1.25)'),
    policyTemperature: numberOption('policyTemperature', { above: 0 }, ' (1 = off; lc0 uses 1.36)'),
    temperature: numberOption('temperature', { min: 0 }),
    temperatureMoves: numberOption('temperatureMoves', { int: true, min: 0 }),
    solver: flagOption('solver'),
    seed: z.union([z.string(), z.number()], { error: (issue: { input?: unknown }) => `seed=${String(issue.input)} must be a string or a number` }),
    reuseTree: flagOption('reuseTree'),
    maxNodes: numberOption('maxNodes', { int: true, min: 1024 }),
  })
  .refine((o) => o.forcedPlayouts === 0 || (o.root === 'visits' && o.rule === 'puct'), {
    error: (issue) => {
      const o = issue.input as SearchOptions;
      return `forcedPlayouts=${o.forcedPlayouts} needs root=visits with rule=puct (the pruning reads PUCT scores); set it to 0 or use the PUCT root`;
    },
  });

/** The first problem of a failed parse as one line, naming the new name of a renamed option. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const key = [...issue.path, issue.keys[0]].join('.');
    const renamed = RENAMED_OPTIONS[key];
    return renamed ? `${key} is unknown; it is now ${renamed}` : `${key} is unknown; see SearchOptions in src/mcts/options.ts for every option`;
  }
  return issue.message;
}

/** Fills defaults and checks every option (with zod); a bad value is one ArborError naming the allowed range. */
export function resolveSearchOptions(input: SearchOptionsInput = {}): SearchOptions {
  const d = DEFAULT_SEARCH_OPTIONS;
  const root = input.root ?? d.root;
  const merged = {
    ...d,
    ...input,
    root,
    rule: input.rule ?? (root === 'gumbel' ? 'gumbel' : d.rule),
    fpu: { ...d.fpu, ...input.fpu },
    gumbel: { ...d.gumbel, ...input.gumbel },
    dirichlet: input.dirichlet === undefined ? d.dirichlet : input.dirichlet,
  };
  const parsed = searchOptionsSchema.safeParse(merged);
  if (!parsed.success) throw new ArborError(`search option ${describeIssue(parsed.error.issues[0])}`);
  const options: SearchOptions = parsed.data;
  return options;
}
