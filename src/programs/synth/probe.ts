import { createRng, type Game, type State } from '../../core/index.js';
import { call, letExpr, type Define, type Expr, type Program } from '../ast.js';
import { compileProgram } from '../compile.js';
import { ProgramRuntimeError, ProgramTypeError } from '../errors.js';
import { primitiveLookup, type PrimitiveLookup } from '../registry.js';
import type { BaseType, MoveSet, Primitive, ProgramBudget } from '../types.js';
import type { SynthContext } from './context.js';

/**
 * Runs an expression of a context on that context's sample environments and returns its
 * signature: the outputs, one per environment, as one string. Two expressions with equal
 * signatures are observationally equivalent on the sample, and the enumerator keeps only the
 * first (smallest) of them.
 *
 * The expression is compiled inside a small wrapper program: `let` binds the context's
 * parameters to primitives that hand out the environment's arguments, and a capture primitive
 * records the expression's value (serialised at once: move sets and positions are views).
 */

/** One place an expression is tried: a position and the values of the context's parameters (after `pos`). */
export interface SampleEnv {
  readonly state: State;
  readonly args: readonly unknown[];
}

/** What an expression may spend on one sample environment. */
const PROBE_BUDGET: Readonly<ProgramBudget> = { nodes: 200_000, simulations: 10_000, deadline: Infinity };
/** Moves tried per position in a lambda's scope, and numbers tried for a number parameter. */
const MOVES_PER_POSITION = 3;
const NUMBER_ARGS: readonly number[] = [0, 1, 2];

export interface Signature {
  readonly text: string;
  /** The same output on every environment. */
  readonly constant: boolean;
}

export class Prober {
  private readonly envs = new Map<string, SampleEnv[]>();
  private readonly rngSeed: string;
  private readonly lookup: PrimitiveLookup;
  private current: readonly unknown[] = [];
  private captured: string[] = [];
  private failed = false;
  /** Expressions compiled and run. */
  probes = 0;
  /** Probes refused by the type checker (the enumerator forms only well-typed expressions, so 0). */
  typeErrors = 0;

  constructor(
    readonly game: Game,
    readonly positions: readonly State[],
    lookup: PrimitiveLookup,
    private readonly defines: readonly Define[],
    seed: string,
  ) {
    const capture = (type: BaseType, show: (x: unknown) => string | null): Primitive => ({
      name: `synth-capture-${type}`, args: [type], result: 'value', pure: false, doc: 'records its argument (synthesis probe)',
      fn: ((_ctx: unknown, x: unknown) => {
        const s = show(x);
        if (s === null) this.failed = true;
        else this.captured.push(s);
        return 0;
      }) as Primitive['fn'],
    });
    const own: Primitive[] = [
      capture('number', (x) => (Number.isFinite(x as number) ? ((x as number) === 0 ? '0' : (x as number).toPrecision(12)) : null)),
      capture('boolean', (x) => (x ? 't' : 'f')),
      capture('move', (x) => String(x)),
      capture('moves', (x) => Array.from((x as MoveSet).actions.subarray(0, (x as MoveSet).count)).join('.')),
      capture('position', (x) => (x as State).hash().toString(36)),
    ];
    for (let i = 0; i < 4; i++) {
      for (const type of ['move', 'number', 'position', 'boolean'] as const) {
        own.push({ name: `synth-arg-${i}-${type}`, args: [], result: type, pure: false, doc: 'an argument of the probe', fn: (() => this.current[i]) as Primitive['fn'] });
      }
    }
    this.lookup = primitiveLookup(lookup, own);
    this.envs.set('pos:position', positions.map((state) => ({ state, args: [] })));
    this.rngSeed = seed;
  }

  /** The sample environments of a context (made on first use, seeded by the context). */
  environments(ctx: SynthContext): SampleEnv[] {
    const known = this.envs.get(ctx.key);
    if (known) return known;
    const rng = createRng(`${this.rngSeed}:${ctx.key}`);
    const actions = new Int32Array(this.game.numActions);
    let envs: SampleEnv[] = this.positions.map((state) => ({ state, args: [] }));
    for (const v of ctx.vars.slice(1)) {
      const next: SampleEnv[] = [];
      for (const env of envs) {
        if (v.type === 'move') {
          const n = env.state.legalActions(actions);
          const picks = new Set<number>();
          for (let k = 0; k < Math.min(MOVES_PER_POSITION, n); k++) picks.add(actions[rng.int(n)]);
          for (const m of picks) next.push({ state: env.state, args: [...env.args, m] });
        } else if (v.type === 'number') {
          for (const x of NUMBER_ARGS) next.push({ state: env.state, args: [...env.args, x] });
        } else if (v.type === 'boolean') {
          for (const b of [false, true]) next.push({ state: env.state, args: [...env.args, b] });
        } else {
          throw new Error(`synthesis: a lambda parameter of type ${v.type} has no sample values`);
        }
      }
      envs = next;
    }
    this.envs.set(ctx.key, envs);
    return envs;
  }

  /** Whether contexts with this parameter type can be sampled. */
  static canSample(type: BaseType): boolean {
    return type === 'move' || type === 'number' || type === 'boolean';
  }

  /**
   * The behaviour of a value program played one ply deep (as the `program:` agent plays it): at
   * every sample position, the set of moves it ranks best (a won end +2, a lost one -2, a draw 0,
   * else the program's value of the child for the mover). Two programs with the same behaviour
   * choose alike on the sample whatever their values, e.g. `N` and `(* 2 N)`; null when the
   * program fails on a sample.
   */
  behavior(program: Program): Signature | null {
    this.probes++;
    let compiled;
    try {
      compiled = compileProgram(program, this.game, { primitives: this.lookup, cacheCapacity: 0, rng: createRng(this.rngSeed) });
    } catch (e) {
      if (e instanceof ProgramTypeError) {
        this.typeErrors++;
        return null;
      }
      throw e;
    }
    const actions = new Int32Array(this.game.numActions);
    const child = this.game.newInitialState();
    const budget = { ...PROBE_BUDGET };
    const parts: string[] = [];
    for (const state of this.positions) {
      const n = state.legalActions(actions);
      const mover = state.currentPlayer();
      let top = -Infinity;
      let best: number[] = [];
      for (let i = 0; i < n; i++) {
        child.copyFrom(state);
        child.apply(actions[i]);
        let score: number;
        if (child.isTerminal()) score = 2 * child.returnOf(mover);
        else {
          budget.nodes = PROBE_BUDGET.nodes;
          budget.simulations = PROBE_BUDGET.simulations;
          try {
            score = compiled.run(child, budget) as number;
          } catch (e) {
            if (e instanceof ProgramRuntimeError) return null;
            throw e;
          }
          if (!Number.isFinite(score)) return null;
          if (child.currentPlayer() !== mover) score = -score;
        }
        if (score > top) {
          top = score;
          best = [actions[i]];
        } else if (score === top) best.push(actions[i]);
      }
      parts.push(best.join('.'));
    }
    // "Constant" here: every move tied at every position, i.e. the program plays at random.
    const random = this.positions.every((state, k) => parts[k].split('.').length === state.legalActions(actions));
    return { text: parts.join('|'), constant: random };
  }

  /** The wrapper program that runs `expr` in `ctx` and captures its value of base type `type`. */
  private wrapper(expr: Expr, ctx: SynthContext, type: BaseType): Program {
    const captureType = type === 'value' ? 'number' : type;
    let body: Expr = call(`synth-capture-${captureType}`, expr);
    const params = ctx.vars.slice(1);
    if (params.length > 0) body = letExpr(params.map((p, i) => ({ name: p.name, value: call(`synth-arg-${i}-${p.type}`) })), body);
    return { yields: 'value', defines: this.defines, body };
  }

  /** The signature of `expr` (of base type `type`) in `ctx`, or null when it fails on some environment or is not well-typed. */
  signature(expr: Expr, ctx: SynthContext, type: BaseType): Signature | null {
    this.probes++;
    let compiled;
    try {
      compiled = compileProgram(this.wrapper(expr, ctx, type), this.game, { primitives: this.lookup, cacheCapacity: 0, rng: createRng(this.rngSeed) });
    } catch (e) {
      if (e instanceof ProgramTypeError) {
        this.typeErrors++;
        return null;
      }
      throw e;
    }
    this.captured = [];
    this.failed = false;
    const budget = { ...PROBE_BUDGET };
    for (const env of this.environments(ctx)) {
      this.current = env.args;
      try {
        budget.nodes = PROBE_BUDGET.nodes;
        budget.simulations = PROBE_BUDGET.simulations;
        compiled.run(env.state, budget);
      } catch (e) {
        if (e instanceof ProgramRuntimeError) return null;
        throw e;
      }
      if (this.failed) return null;
    }
    const first = this.captured[0];
    return { text: this.captured.join('|'), constant: this.captured.every((s) => s === first) };
  }
}
