import { ArborError, createRng, type Game, type Rng, type State, type Evaluator } from '../core/index.js';
import { resolveBudget, type Budget } from './budget.js';
import { GumbelInteriorRule, GumbelRoot } from './gumbel.js';
import { sampleDirichlet } from './noise.js';
import { resolveSearchOptions, type SearchOptions, type SearchOptionsInput } from './options.js';
import { applyRunOverrides, runSettingsOf, type RunOverrides, type RunSettings } from './run-overrides.js';
import { PuctRule } from './puct.js';
import { bestChild, type RootPolicy, VisitsRoot } from './root.js';
import type { SelectionRule } from './rules.js';
import { perspective, provenFor, solveNode } from './solver.js';
import { PROVEN_NONE, PROVEN_DRAW } from './proven.js';
import { EXPANDED, NEW, PENDING, TERMINAL, Tree } from './tree.js';
import { UctRule } from './uct.js';

export interface SearchStats {
  /** Simulations completed in this run (each adds one visit to one root child). */
  simulations: number;
  /** Nodes in the tree at the end (reused ones included). */
  nodes: number;
  /** Deepest leaf reached in this run, in plies from the root. */
  maxDepth: number;
  evaluatorCalls: number;
  evaluatedStates: number;
  /** Evaluations the evaluator answered from its cache during this run (CachedEvaluator). */
  cacheHits: number;
  timeMs: number;
}

/** `actionProven[a]` when nothing is proven about action a (or a is illegal). */
export const ACTION_UNPROVEN = 2;

export interface SearchResult {
  /** The move to play (argmax visits; Gumbel: its selected action; a proven win first). */
  bestAction: number;
  /** numActions entries: root child visit counts. */
  visits: Float32Array;
  /** numActions entries: the improved policy target (visit distribution, or Gumbel's). */
  policy: Float32Array;
  /** Root value for the player to move, in [-1, 1]. */
  value: number;
  /**
   * numActions entries: the evaluator's prior at the root, renormalised over the legal actions,
   * without root noise or root policy temperature (policy surprise weighting compares the policy
   * target with it); with a `policyTemperature` other than 1, the tempered prior of every node.
   */
  prior: Float32Array;
  /** The evaluator's value of the root position for the player to move (0 if it was never evaluated). */
  rawValue: number;
  principalVariation: number[];
  /** Proven result for the player to move, if the solver proved it. */
  proven: -1 | 0 | 1 | null;
  /** numActions entries: proven result of each root action for the player to move (-1, 0, 1), else ACTION_UNPROVEN. */
  actionProven: Int8Array;
  /** What selectMove needs: the temperature schedule, and whether bestAction is already a sample (Gumbel). */
  sampling: { temperature: number; temperatureMoves: number; sampled: boolean };
  stats: SearchStats;
}

/** One run's limits and counters, shared by `run` and `runNow`. */
interface RunProgress {
  readonly start: number;
  readonly deadline: number;
  readonly timeMs: number;
  readonly simulations: number;
  started: number;
  completed: number;
  readonly hitsBefore: number;
  readonly stats: SearchStats;
}

const DONE = -1;
const COLLISION = -2;
/** Yield to the event loop this often during long synchronous searches, so servers and timers stay live. */
const YIELD_EVERY_MS = 50;

/**
 * The search loop (mctx's `search`): simulate = select down to a leaf, evaluate leaves in
 * batches, expand, back up. The selection rule, the root policy and the evaluator are parts passed
 * in, so PUCT, UCT and Gumbel searches share this loop. Values are two-player zero-sum returns.
 */
export class Search {
  readonly game: Game;
  readonly evaluator: Evaluator;
  /** The options the search was built with; a run changes its root settings through `run`'s overrides, never by editing these. */
  readonly options: Readonly<SearchOptions>;
  /** Root settings of the run in progress (options plus that run's overrides), reused from run to run. */
  private readonly current: RunSettings;
  private readonly tree: Tree;
  private readonly rule: SelectionRule;
  private readonly rootPolicy: RootPolicy;
  private readonly rng: Rng;
  private readonly rootState: State;
  private hasRoot = false;
  private readonly scratch: State;
  /** Second scratch state for the decisive-move check at expansion. */
  private readonly probe: State;
  private readonly batchStates: State[];
  private readonly batchLeaves: Int32Array;
  private readonly policyBuf: Float32Array;
  private readonly valueBuf: Float32Array;
  private readonly legal: Int32Array;
  /** Return of each player for the simulation being backed up. */
  private readonly returns: Float64Array;
  private readonly cleanPrior: Float32Array;
  private readonly noise: Float64Array;
  private alteredRoot = -1;
  private full = false;
  private depthReached = 0;

  constructor(game: Game, evaluator: Evaluator, options: SearchOptionsInput = {}) {
    this.game = game;
    this.evaluator = evaluator;
    const o = resolveSearchOptions(options);
    this.options = o;
    this.current = runSettingsOf(o);
    const A = game.numActions;
    if (A > 65535) throw new ArborError(`search: ${game.spec} has ${A} actions; the tree stores actions in 16 bits (at most 65535)`);
    this.tree = new Tree(1 << 12, Math.max(o.maxNodes, 4 * (A + 1)));
    this.rule = o.rule === 'uct' ? new UctRule(o.cUct)
      : o.rule === 'gumbel' ? new GumbelInteriorRule(A, o.gumbel.cVisit, o.gumbel.cScale)
      : new PuctRule(o.cPuct, o.fpu.mode, o.fpu.value);
    this.rootPolicy = o.root === 'gumbel'
      ? new GumbelRoot(A, o.gumbel.consideredActions, o.gumbel.cVisit, o.gumbel.cScale, o.gumbel.scale)
      : new VisitsRoot(this.rule, o.cPuct, this.current);
    this.rng = createRng(o.seed);
    this.rootState = game.newInitialState();
    this.scratch = game.newInitialState();
    this.probe = game.newInitialState();
    this.batchStates = Array.from({ length: o.leafBatch }, () => game.newInitialState());
    this.batchLeaves = new Int32Array(o.leafBatch);
    this.policyBuf = new Float32Array(o.leafBatch * A);
    this.valueBuf = new Float32Array(o.leafBatch);
    this.legal = new Int32Array(A);
    this.returns = new Float64Array(Math.max(2, game.numPlayers));
    this.cleanPrior = new Float32Array(A);
    this.noise = new Float64Array(A);
  }

  /** Hash of the position the kept tree is rooted at, or null when there is none. */
  rootHash(): number | null {
    return this.hasRoot ? this.rootState.hash() : null;
  }

  /** Forgets the tree. */
  reset(): void {
    this.tree.clear();
    this.hasRoot = false;
    this.alteredRoot = -1;
  }

  /** Tree reuse: the game moved on by `action` from the root; keep that child's subtree (or forget all). */
  advance(action: number): void {
    if (!this.hasRoot) return;
    const t = this.tree;
    const child = this.options.reuseTree && t.status[t.root] === EXPANDED ? t.childFor(t.root, action) : -1;
    if (child < 0 || !this.rootState.isLegal(action)) {
      this.reset();
      return;
    }
    t.reroot(child);
    this.rootState.apply(action);
    this.alteredRoot = -1;
  }

  /** Number of nodes currently in the tree. */
  get nodeCount(): number {
    return this.tree.size;
  }

  /** Sum of virtual losses over the tree (0 between runs); for tests and debugging. */
  pendingVirtualLoss(): number {
    let s = 0;
    for (let i = 0; i < this.tree.size; i++) s += this.tree.virtualLoss[i];
    return s;
  }

  /** Read-only view of the tree (tests, visualisation). */
  get treeView(): Readonly<Tree> {
    return this.tree;
  }

  /**
   * Searches `state` within `budget`. `overrides` change root settings for this run only (noise,
   * forced playouts, root policy temperature, the sampling temperature the result carries); the
   * options stay as they are for the next run.
   */
  async run(state: State, budget: Budget, overrides?: RunOverrides): Promise<SearchResult> {
    const p = this.begin(state, budget, overrides);
    if (this.rootNeedsEvaluation()) {
      await this.evaluate(1, p.stats);
      this.expandRoot();
    }
    this.startSimulations(p);
    let lastYield = p.start;
    while (this.continues(p)) {
      if (Number.isFinite(p.timeMs) || p.started > 0) {
        const now = performance.now();
        if (now >= p.deadline) break;
        if (now - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      const queued = this.queueLeaves(p);
      if (queued === 0) continue;
      await this.evaluate(queued, p.stats);
      this.absorbLeaves(p, queued);
    }
    return this.finish(p);
  }

  /**
   * `run` without a promise, for callers that cannot wait (a program primitive searching inside
   * one synchronous evaluation): the evaluator must answer synchronously (`evaluateNow`), and the
   * search does not yield to the event loop, so keep its budget small. Same loop, same result.
   */
  runNow(state: State, budget: Budget, overrides?: RunOverrides): SearchResult {
    const ev = this.evaluator;
    if (!ev.evaluateNow) throw new ArborError(`search: runNow needs an evaluator that answers synchronously (evaluateNow); ${ev.name} does not, use run()`);
    const p = this.begin(state, budget, overrides);
    if (this.rootNeedsEvaluation()) {
      this.evaluateSync(1, p.stats);
      this.expandRoot();
    }
    this.startSimulations(p);
    while (this.continues(p)) {
      if ((Number.isFinite(p.timeMs) || p.started > 0) && performance.now() >= p.deadline) break;
      const queued = this.queueLeaves(p);
      if (queued === 0) continue;
      this.evaluateSync(queued, p.stats);
      this.absorbLeaves(p, queued);
    }
    return this.finish(p);
  }

  /** Checks the request, applies the run's overrides and roots the tree at `state` (kept when reusable). */
  private begin(state: State, budget: Budget, overrides: RunOverrides | undefined): RunProgress {
    const { simulations, timeMs } = resolveBudget(budget);
    if (state.game.spec !== this.game.spec) {
      throw new ArborError(`search: the state is a ${state.game.spec} position but this search was built for ${this.game.spec}`);
    }
    if (state.isTerminal()) throw new ArborError('search: the position is already over (terminal); there is no move to search for');
    if (this.options.root === 'gumbel' && !Number.isFinite(simulations)) {
      throw new ArborError('search: the Gumbel root plans Sequential Halving over a number of simulations; give simulations (timeMs may be added as a cap)');
    }
    const start = performance.now();
    const p: RunProgress = {
      start,
      deadline: start + timeMs,
      timeMs,
      simulations,
      started: 0,
      completed: 0,
      hitsBefore: this.evaluator.cacheHits ?? 0,
      stats: { simulations: 0, nodes: 0, maxDepth: 0, evaluatorCalls: 0, evaluatedStates: 0, cacheHits: 0, timeMs: 0 },
    };
    applyRunOverrides(this.options, overrides, this.current);
    this.full = false;
    this.depthReached = 0;
    const t = this.tree;
    const reuse = this.options.reuseTree && this.hasRoot && t.root >= 0 && this.rootState.hash() === state.hash();
    if (!reuse) {
      this.rootState.copyFrom(state);
      t.newRoot(state.currentPlayer());
      this.hasRoot = true;
      this.alteredRoot = -1;
    }
    return p;
  }

  /** True when the root must be evaluated first; its state is then waiting in batchStates[0]. */
  private rootNeedsEvaluation(): boolean {
    if (this.tree.status[this.tree.root] === EXPANDED) return false;
    this.batchStates[0].copyFrom(this.rootState);
    return true;
  }

  private expandRoot(): void {
    const t = this.tree;
    if (!this.expand(t.root, this.batchStates[0], 0, this.valueBuf[0])) {
      throw new ArborError(`search: the tree is full (maxNodes=${this.options.maxNodes}); raise maxNodes`);
    }
    this.backupEvaluated(t.root, this.batchStates[0], this.valueBuf[0], false);
  }

  private startSimulations(p: RunProgress): void {
    const t = this.tree;
    const run = this.current;
    if (run.dirichlet || run.rootPolicyTemperature !== 1 || this.alteredRoot === t.root) this.prepareRootPriors();
    this.rootPolicy.begin(t, t.root, p.simulations, this.rng);
  }

  private continues(p: RunProgress): boolean {
    if (this.full || p.started >= p.simulations) return false;
    return !(this.options.solver && this.tree.proven[this.tree.root] !== PROVEN_NONE);
  }

  /** Descends for up to leafBatch new leaves, their states in batchStates; returns how many wait for evaluation. */
  private queueLeaves(p: RunProgress): number {
    const t = this.tree;
    const o = this.options;
    const B = o.leafBatch;
    const useVirtualLoss = B > 1;
    let queued = 0;
    while (queued < B && p.started < p.simulations) {
      const leaf = this.descend(p.started);
      if (leaf === COLLISION) {
        // Only leaves queued in this batch are pending, so a collision needs a non-empty batch.
        if (queued === 0) throw new Error('search: collision with an empty batch (a pending node leaked)');
        break;
      }
      p.started++;
      if (leaf === DONE) {
        p.completed++;
        if (o.solver && t.proven[t.root] !== PROVEN_NONE) break;
        continue;
      }
      this.batchStates[queued].copyFrom(this.scratch);
      this.batchLeaves[queued++] = leaf;
      if (useVirtualLoss) for (let n = leaf; n >= 0; n = t.parent[n]) t.virtualLoss[n]++;
    }
    return queued;
  }

  /** Expands and backs up the `queued` leaves just evaluated. */
  private absorbLeaves(p: RunProgress, queued: number): void {
    const t = this.tree;
    const A = this.game.numActions;
    const useVirtualLoss = this.options.leafBatch > 1;
    for (let i = 0; i < queued; i++) {
      const leaf = this.batchLeaves[i];
      const leafState = this.batchStates[i];
      if (!this.expand(leaf, leafState, i * A, this.valueBuf[i])) t.status[leaf] = NEW;
      this.backupEvaluated(leaf, leafState, this.valueBuf[i], useVirtualLoss);
    }
    p.completed += queued;
  }

  private finish(p: RunProgress): SearchResult {
    const stats = p.stats;
    stats.simulations = p.completed;
    stats.nodes = this.tree.size;
    stats.maxDepth = this.depthReached;
    stats.cacheHits = (this.evaluator.cacheHits ?? 0) - p.hitsBefore;
    return this.result(stats, p.start);
  }

  private evaluateSync(count: number, stats: SearchStats): void {
    stats.evaluatorCalls++;
    stats.evaluatedStates += count;
    (this.evaluator.evaluateNow as NonNullable<Evaluator['evaluateNow']>)(this.batchStates, count, this.policyBuf, this.valueBuf);
  }

  private async evaluate(count: number, stats: SearchStats): Promise<void> {
    stats.evaluatorCalls++;
    stats.evaluatedStates += count;
    const ev = this.evaluator;
    if (ev.evaluateNow) ev.evaluateNow(this.batchStates, count, this.policyBuf, this.valueBuf);
    else await ev.evaluate(this.batchStates, count, this.policyBuf, this.valueBuf);
  }

  /**
   * One selection from the root. Returns a new leaf to evaluate (its state left in `scratch`),
   * DONE when the simulation ended at a terminal or proven node and is already backed up, or
   * COLLISION when it ran into a leaf already waiting in this batch (nothing to undo).
   */
  private descend(simIndex: number): number {
    const t = this.tree;
    const s = this.scratch;
    const root = t.root;
    s.copyFrom(this.rootState);
    let node = root;
    let rootChild = -1;
    let depth = 0;
    for (;;) {
      if (node !== root) {
        const status = t.status[node];
        if (status === EXPANDED) {
          if (t.proven[node] !== PROVEN_NONE) {
            this.fillReturns(t.mover[node], t.proven[node] - PROVEN_DRAW);
            this.backup(node, false, false);
            return this.reached(depth, DONE);
          }
        } else if (status === NEW) {
          if (!s.isTerminal()) {
            t.status[node] = PENDING;
            return this.reached(depth, node);
          }
          t.status[node] = TERMINAL;
          this.fillTerminalReturns(s);
          let proved = false;
          if (this.options.solver) {
            t.proven[node] = Math.sign(this.returns[t.mover[node]]) + PROVEN_DRAW;
            proved = true;
          }
          this.backup(node, false, proved);
          return this.reached(depth, DONE);
        } else if (status === TERMINAL) {
          this.fillTerminalReturns(s);
          this.backup(node, false, false);
          return this.reached(depth, DONE);
        } else {
          if (rootChild >= 0) this.rootPolicy.cancel(t, root, rootChild);
          return COLLISION;
        }
      }
      const child = node === root ? this.rootPolicy.select(t, root, simIndex) : this.rule.select(t, node);
      if (node === root) rootChild = child;
      s.apply(t.action[child]);
      node = child;
      depth++;
    }
  }

  private reached(depth: number, result: number): number {
    if (depth > this.depthReached) this.depthReached = depth;
    return result;
  }

  /** Creates the children of `node` from the legal actions of `state`, priors renormalised over them. */
  private expand(node: number, state: State, offset: number, value: number): boolean {
    const t = this.tree;
    const n = state.legalActions(this.legal);
    const first = t.addChildren(node, n, state.currentPlayer());
    if (first < 0) {
      this.full = true;
      return false;
    }
    const policy = this.policyBuf;
    for (let i = 0; i < n; i++) {
      const a = this.legal[i];
      t.action[first + i] = a;
      t.prior[first + i] = policy[offset + a];
    }
    temperAndNormalise(t.prior, first, n, 1 / this.options.policyTemperature);
    t.rawValue[node] = value;
    t.status[node] = EXPANDED;
    if (this.options.solver) this.checkDecisiveMoves(node, state, first, n);
    return true;
  }

  /**
   * Decisive moves (Teytaud & Teytaud, "On the huge benefit of decisive moves in Monte-Carlo
   * Tree Search algorithms", CIG 2010): with the solver on, every child is tried once at expansion
   * and the ones that end the game are proven on the spot. A move that lets the opponent win at
   * once is then a proven loss after a single visit, which few-simulation searches (Gumbel with 16)
   * rely on. Returns nothing; may prove `node` (checked by the caller through tree.proven).
   */
  private checkDecisiveMoves(node: number, state: State, first: number, n: number): void {
    const t = this.tree;
    const s = this.probe;
    let any = false;
    for (let i = 0; i < n; i++) {
      s.copyFrom(state);
      s.apply(t.action[first + i]);
      if (!s.isTerminal()) continue;
      const c = first + i;
      t.status[c] = TERMINAL;
      t.proven[c] = Math.sign(s.returnOf(t.mover[c])) + PROVEN_DRAW;
      any = true;
    }
    if (any) solveNode(t, node);
  }

  /** Backs up an evaluated leaf: the evaluator's value, or the exact one if expansion proved the leaf. */
  private backupEvaluated(leaf: number, state: State, value: number, removeVirtualLoss: boolean): void {
    const t = this.tree;
    const proved = t.proven[leaf] !== PROVEN_NONE;
    if (proved) this.fillReturns(t.mover[leaf], t.proven[leaf] - PROVEN_DRAW);
    else this.fillReturns(state.currentPlayer(), value);
    this.backup(leaf, removeVirtualLoss, proved);
  }

  /** returns[p] for every player from a value for `player` (two-player zero-sum; see solver.perspective). */
  private fillReturns(player: number, value: number): void {
    for (let p = 0; p < this.returns.length; p++) this.returns[p] = perspective(value, player, p);
  }

  private fillTerminalReturns(state: State): void {
    for (let p = 0; p < this.returns.length; p++) this.returns[p] = state.returnOf(p);
  }

  /**
   * Adds the simulation's returns along the path from `leaf` to the root, each node for its mover;
   * removes the leaf's virtual loss; and, when `proved`, lets the solver propagate upwards.
   */
  private backup(leaf: number, removeVirtualLoss: boolean, proved: boolean): void {
    const t = this.tree;
    const r = this.returns;
    let solving = proved;
    for (let n = leaf; n >= 0; ) {
      t.visits[n]++;
      t.valueSum[n] += r[t.mover[n]];
      if (removeVirtualLoss) t.virtualLoss[n]--;
      const p = t.parent[n];
      if (solving && p >= 0) solving = t.proven[p] === PROVEN_NONE && solveNode(t, p);
      n = p;
    }
  }

  /**
   * The root's priors for this run, always re-derived from the clean (evaluator) priors: first a
   * softmax temperature P ∝ P^(1/T) (KataGo's root policy temperature, after SAI; docs/KataGoMethods.md:
   * T > 1 keeps self-play from settling too early between nearly equal moves), then AlphaZero's
   * noise P = (1 - eps) P + eps Dir(alpha), re-drawn on every run.
   */
  private prepareRootPriors(): void {
    const t = this.tree;
    const run = this.current;
    const root = t.root;
    const first = t.firstChild[root];
    const n = t.numChildren[root];
    if (this.alteredRoot === root) for (let i = 0; i < n; i++) t.prior[first + i] = this.cleanPrior[i];
    else for (let i = 0; i < n; i++) this.cleanPrior[i] = t.prior[first + i];
    this.alteredRoot = root;
    // t.prior holds the clean priors here; temper them in place.
    if (run.rootPolicyTemperature !== 1) temperAndNormalise(t.prior, first, n, 1 / run.rootPolicyTemperature);
    if (run.dirichlet) {
      const { alpha, epsilon } = run.dirichlet;
      sampleDirichlet(this.rng, alpha, n, this.noise);
      for (let i = 0; i < n; i++) t.prior[first + i] = (1 - epsilon) * t.prior[first + i] + epsilon * this.noise[i];
    }
  }

  private result(stats: SearchStats, start: number): SearchResult {
    const t = this.tree;
    const root = t.root;
    const A = this.game.numActions;
    const toMove = this.rootState.currentPlayer();
    const visits = new Float32Array(A);
    const policy = new Float32Array(A);
    const prior = new Float32Array(A);
    const actionProven = new Int8Array(A).fill(ACTION_UNPROVEN);
    const first = t.firstChild[root];
    const altered = this.alteredRoot === root;
    for (let c = first; c < first + t.numChildren[root]; c++) {
      visits[t.action[c]] = t.visits[c];
      prior[t.action[c]] = altered ? this.cleanPrior[c - first] : t.prior[c];
      const p = provenFor(t, c, toMove);
      if (p !== null) actionProven[t.action[c]] = p;
    }
    const bestAction = this.rootPolicy.finish(t, root, policy);
    const proven = this.options.solver ? provenFor(t, root, toMove) : null;
    const value = proven !== null ? proven : perspective(t.q(root), t.mover[root], toMove);
    const principalVariation = [bestAction];
    let node = t.childFor(root, bestAction);
    while (node >= 0 && t.status[node] === EXPANDED && t.numChildren[node] > 0 && principalVariation.length < 64) {
      const c = bestChild(t, node);
      if (t.visits[c] === 0) break;
      principalVariation.push(t.action[c]);
      node = c;
    }
    stats.timeMs = performance.now() - start;
    const run = this.current;
    return {
      bestAction,
      visits,
      policy,
      value,
      prior,
      rawValue: t.status[root] === EXPANDED ? t.rawValue[root] : 0,
      principalVariation,
      proven,
      actionProven,
      sampling: { temperature: run.temperature, temperatureMoves: run.temperatureMoves, sampled: this.options.root === 'gumbel' },
      stats,
    };
  }
}

export type { SearchOptions, SearchOptionsInput, RunOverrides };

/**
 * In place: prior[first..first+n) <- P^inv renormalised to sum 1, uniform when all are 0. `inv` is
 * 1/T of a softmax temperature (lc0's policy softmax temperature, KataGo's root policy
 * temperature); at inv = 1 it only renormalises, without calling pow.
 */
function temperAndNormalise(prior: Float32Array, first: number, n: number, inv: number): void {
  const end = first + n;
  let sum = 0;
  if (inv === 1) for (let i = first; i < end; i++) sum += prior[i];
  else for (let i = first; i < end; i++) sum += prior[i] = Math.pow(prior[i], inv);
  for (let i = first; i < end; i++) prior[i] = sum > 0 ? prior[i] / sum : 1 / n;
}
