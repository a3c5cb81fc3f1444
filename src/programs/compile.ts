import { ArborError, createRng, isArborError, type Game, type Rng, type State } from '../core/index.js';
import { where, type Define, type Expr, type Program } from './ast.js';
import { BUILTINS, type BuiltinSite, type Thunk } from './builtins.js';
import { ResultCache } from './cache.js';
import { checkProgram } from './check.js';
import { ProgramRuntimeError } from './errors.js';
import { forwardingRng } from './forwarding-rng.js';
import { NO_REFERENCES, type PreparedReferences } from './prepare.js';
import { printRef } from './print.js';
import { primitiveFactories, primitives as registered, type FactoryLookup, type PrimitiveLookup } from './registry.js';
import type { Primitive, ProgramBudget, ProgramContext, ProgramType } from './types.js';

/**
 * The compiler: a checked program becomes a tree of closures once, for one game; running it is
 * calling the root closure, with no walk over the AST (the classic closure-compilation of an
 * interpreter, e.g. Feeley & Lapalme 1987). Variables live in one flat slot array per compiled
 * program: the language has no recursion and lambdas are only passed down, never stored, so each
 * binding site needs exactly one slot. Every primitive call is followed by a budget check, and
 * pure primitives with scalar results are answered from a bounded cache keyed by the position's
 * hash (cache.ts).
 */

export interface CompileOptions {
  /** The primitives the program may call (default: the registry). */
  readonly primitives?: PrimitiveLookup;
  /** The primitives that take a reference (default: the registry's factories). */
  readonly factories?: FactoryLookup;
  /**
   * The factories' primitives prepared for this program and game (prepare.ts prepareReferences);
   * required when the program calls one (`(net-value "lib:NAME" pos)`).
   */
  readonly references?: PreparedReferences;
  /** Names the program in messages. */
  readonly source?: string;
  /** The random stream primitives draw from (rollouts, MCTS); default: seed `program`. */
  readonly rng?: Rng;
  /** Entries of the result cache (0: no cache). */
  readonly cacheCapacity?: number;
}

export interface CompiledProgram {
  readonly program: Program;
  readonly game: Game;
  /** The body's type: `move` or `policy` for a policy program, `value` for a value program. */
  readonly resultType: ProgramType;
  /** The result cache (null when disabled): its `hits` and `misses` count lookups. */
  readonly cache: ResultCache | null;
  /** Runs counted, and primitive calls made (cache hits excluded). */
  readonly stats: { runs: number; primitiveCalls: number };
  /**
   * The body's value at `state` (not modified) under `limits`. A policy result is a view valid
   * until the next run. Throws ProgramRuntimeError when the budget runs out or a primitive fails.
   */
  run(state: State, limits: ProgramBudget): unknown;
  /** What is left of the last run's budget. */
  readonly budget: Readonly<ProgramBudget>;
}

/**
 * How long a program may run past its deadline before it fails, for a time budget of `timeMs`:
 * a quarter of it, at least 500 ms. Anytime primitives stop at the deadline itself, so a program
 * that searches with them overruns only by the small steps after its last search (choosing among
 * the results, a tactical check, a network's forward pass); the allowance absorbs those and the
 * scheduling noise of a busy machine (on the shared 2-core machine a worker was seen waiting over
 * 290 ms for a core), and still stops a program whose bounded steps take far longer than its budget.
 */
export function overrunAllowance(timeMs: number): number {
  return Math.max(MIN_OVERRUN_MS, OVERRUN_FRACTION * timeMs);
}
export const MIN_OVERRUN_MS = 500;
export const OVERRUN_FRACTION = 0.25;

const SCALAR: ReadonlySet<ProgramType> = new Set<ProgramType>(['number', 'value', 'boolean', 'move']);

export function compileProgram(program: Program, game: Game, options: CompileOptions = {}): CompiledProgram {
  const resultType = checkProgram(program, { primitives: options.primitives ?? registered, factories: options.factories ?? primitiveFactories, source: options.source ?? '<program>' });
  const compiler = createCompiler(game, options);
  const { budget, limits, stats, cache, slots } = compiler;
  for (const d of program.defines) compiler.define(d);
  const posSlot = compiler.newSlot();
  const body = compiler.compileExpr(program.body, new Map([['pos', posSlot]]));

  return {
    program,
    game,
    resultType,
    cache,
    stats,
    budget,
    run: (state, given) => {
      limits.nodes = budget.nodes = given.nodes;
      limits.simulations = budget.simulations = given.simulations;
      limits.deadline = budget.deadline = given.deadline;
      compiler.started(given.grace);
      stats.runs++;
      slots[posSlot] = state;
      return body();
    },
  };
}

/**
 * A function `(lambda ((a T) ...) body)` compiled once for one game (a library function: see
 * library-functions.ts): `call(budget, args)` runs it on `args`, spending from `budget` (the
 * caller's, updated in place, also when the call fails) and drawing from `rng` at the time of the
 * call. The body must have been checked (checkLibraryFunction).
 */
export interface CompiledFunction {
  call(budget: ProgramBudget, rng: Rng, args: readonly unknown[]): unknown;
}

export function compileFunction(fn: { readonly name: string; readonly params: readonly { readonly name: string }[]; readonly body: Expr }, game: Game, options: Omit<CompileOptions, 'rng'> = {}): CompiledFunction {
  let current: Rng = createRng('library-function');
  // The body's primitives draw from the caller's stream of the moment.
  const rng = forwardingRng(() => current);
  // A smaller result cache than a program's: a function is one part of the program calling it.
  const compiler = createCompiler(game, { cacheCapacity: 1 << 12, ...options, rng });
  const { budget, limits, slots } = compiler;
  const { params, body } = compiler.define(fn);
  return {
    call: (outer, callerRng, args) => {
      limits.nodes = budget.nodes = outer.nodes;
      limits.simulations = budget.simulations = outer.simulations;
      limits.deadline = budget.deadline = outer.deadline;
      current = callerRng;
      compiler.started();
      for (let i = 0; i < params.length; i++) slots[params[i]] = args[i];
      try {
        return body();
      } finally {
        outer.nodes = budget.nodes;
        outer.simulations = budget.simulations;
      }
    },
  };
}

/** The closure compiler's state for one compiled program or function: slots, budget, cache, defines. */
function createCompiler(game: Game, options: CompileOptions) {
  const lookup = options.primitives ?? registered;
  const source = options.source ?? '<program>';
  const factories = options.factories ?? primitiveFactories;
  const references = options.references ?? NO_REFERENCES;
  const budget: ProgramBudget = { nodes: Infinity, simulations: Infinity, deadline: Infinity };
  const limits: ProgramBudget = { nodes: Infinity, simulations: Infinity, deadline: Infinity };
  const ctx: ProgramContext = { game, rng: options.rng ?? createRng('program'), budget };
  const capacity = options.cacheCapacity ?? 1 << 16;
  const cache = capacity > 0 ? new ResultCache(capacity) : null;
  const stats = { runs: 0, primitiveCalls: 0 };
  const slots: unknown[] = [];
  const newSlot = (): number => slots.push(undefined) - 1;
  const fail = (reason: string): never => {
    throw new ProgramRuntimeError(reason);
  };
  const at = (node: object) => `${source}:${where(node)}`;

  /** After a primitive: stop the program if it has spent more than its budget. */
  const overBudget = (name: string, site: string): void => {
    if (budget.nodes < 0) fail(`budget: ${name} at ${site} ran past the node budget (${limits.nodes} nodes)`);
    if (budget.simulations < 0) fail(`budget: ${name} at ${site} ran past the simulation budget (${limits.simulations} simulations)`);
    fail(`budget: out of time at ${name} (${site}): ${Math.round(performance.now() - limits.deadline)} ms past the deadline, which was ${Math.round(limits.deadline - startedAt)} ms after the call started (allowed overrun: ${Math.round(hardDeadline - limits.deadline)} ms)`);
  };
  let startedAt = 0;
  /** The deadline plus the allowed overrun: past it the program fails. */
  let hardDeadline = Infinity;

  const primitiveIds = new Map<Primitive, number>();
  const defines = new Map<string, { readonly params: readonly number[]; readonly body: Thunk }>();

  const compileExpr = (e: Expr, scope: ReadonlyMap<string, number>): Thunk => {
    switch (e.kind) {
      case 'number':
      case 'boolean':
      case 'ref': {
        const value = e.value;
        return () => value;
      }
      case 'var': {
        const slot = scope.get(e.name) as number;
        return () => slots[slot];
      }
      case 'if': {
        const test = compileExpr(e.test, scope);
        const then = compileExpr(e.then, scope);
        const otherwise = compileExpr(e.else, scope);
        return () => ((test() as boolean) ? then() : otherwise());
      }
      case 'let': {
        const inner = new Map(scope);
        const steps = e.bindings.map((b) => {
          const value = compileExpr(b.value, inner);
          const slot = newSlot();
          inner.set(b.name, slot);
          return { slot, value };
        });
        const body = compileExpr(e.body, inner);
        if (steps.length === 1) {
          const [{ slot, value }] = steps;
          return () => {
            slots[slot] = value();
            return body();
          };
        }
        return () => {
          for (const s of steps) slots[s.slot] = s.value();
          return body();
        };
      }
      case 'lambda': {
        const inner = new Map(scope);
        const params = e.params.map((p) => {
          const slot = newSlot();
          inner.set(p.name, slot);
          return slot;
        });
        const body = compileExpr(e.body, inner);
        const fn = lambdaFunction(params, body);
        return () => fn;
      }
      case 'call':
        return compileCall(e, scope);
    }
  };

  const lambdaFunction = (params: readonly number[], body: Thunk): ((...args: unknown[]) => unknown) => {
    if (params.length === 1) {
      const [p0] = params;
      return (a: unknown) => {
        slots[p0] = a;
        return body();
      };
    }
    if (params.length === 2) {
      const [p0, p1] = params;
      return (a: unknown, b: unknown) => {
        slots[p0] = a;
        slots[p1] = b;
        return body();
      };
    }
    return (...args: unknown[]) => {
      for (let i = 0; i < params.length; i++) slots[params[i]] = args[i];
      return body();
    };
  };

  const compileCall = (e: Extract<Expr, { kind: 'call' }>, scope: ReadonlyMap<string, number>): Thunk => {
    const factory = !(e.op in BUILTINS) && !defines.has(e.op) && !lookup.find(e.op) ? factories.find(e.op) : undefined;
    if (factory) {
      const ref = (e.args[0] as Extract<Expr, { kind: 'ref' }>).value;
      const prepared = references.find(e.op, ref);
      if (!prepared) throw new ArborError(`${at(e)}: (${e.op} ${printRef(ref)} ...) was not prepared; load the program with prepareReferences before compiling it (the program agent and mcts:eval=program: do)`);
      return callPrimitive(prepared, e.args.slice(1).map((a) => compileExpr(a, scope)), at(e));
    }
    const args = e.args.map((a) => compileExpr(a, scope));
    const builtin = BUILTINS[e.op];
    if (builtin) {
      const site: BuiltinSite = { game, where: at(e), fail };
      return builtin.compile(args, site);
    }
    const fn = defines.get(e.op);
    if (fn) return callDefine(fn.params, fn.body, args);
    return callPrimitive(lookup.find(e.op) as Primitive, args, at(e));
  };

  /** Arguments are all evaluated before any parameter slot is written: `(f (f x))` must see the inner call's result. */
  const callDefine = (params: readonly number[], body: Thunk, args: readonly Thunk[]): Thunk => {
    if (args.length === 0) return body;
    if (args.length === 1) {
      const [p0] = params;
      const [a0] = args;
      return () => {
        slots[p0] = a0();
        return body();
      };
    }
    if (args.length === 2) {
      const [p0, p1] = params;
      const [a0, a1] = args;
      return () => {
        const x = a0();
        slots[p1] = a1();
        slots[p0] = x;
        return body();
      };
    }
    const values: unknown[] = new Array(args.length);
    return () => {
      for (let i = 0; i < args.length; i++) values[i] = args[i]();
      for (let i = 0; i < args.length; i++) slots[params[i]] = values[i];
      return body();
    };
  };

  const callPrimitive = (prim: Primitive, args: readonly Thunk[], site: string): Thunk => {
    const impl = (prim.instantiate ? prim.instantiate(game) : prim.fn) as (c: ProgramContext, ...a: unknown[]) => unknown;
    const name = prim.name;
    const guard = (result: unknown): unknown => {
      stats.primitiveCalls++;
      if (budget.nodes < 0 || budget.simulations < 0 || (hardDeadline !== Infinity && performance.now() > hardDeadline)) overBudget(name, site);
      return result;
    };
    const cacheable = cache !== null && prim.pure && SCALAR.has(prim.result) && prim.args.length >= 1 && prim.args.length <= 3
      && prim.args[0] === 'position' && prim.args.slice(1).every((t) => SCALAR.has(t));
    if (cacheable) {
      // Keyed by the primitive object, not its name: two networks' `net-value` are two functions.
      let id = primitiveIds.get(prim);
      if (id === undefined) primitiveIds.set(prim, (id = primitiveIds.size));
      const op = id;
      const boolResult = prim.result === 'boolean';
      const [posOf, aOf, bOf] = args;
      const c = cache as ResultCache;
      return () => {
        const state = posOf() as State;
        const a = aOf ? (aOf() as number | boolean) : 0;
        const b = bOf ? (bOf() as number | boolean) : 0;
        const hash = state.hash();
        const slot = c.find(op, hash, +a, +b);
        if (slot >= 0) return boolResult ? c.value(slot) !== 0 : c.value(slot);
        const result = guard(invoke(impl, name, site, args.length, state, a, b)) as number | boolean;
        c.store(op, hash, +a, +b, +result);
        return result;
      };
    }
    if (args.length === 0) return () => guard(invoke(impl, name, site, 0));
    if (args.length === 1) {
      const [a0] = args;
      return () => guard(invoke(impl, name, site, 1, a0()));
    }
    if (args.length === 2) {
      const [a0, a1] = args;
      return () => guard(invoke(impl, name, site, 2, a0(), a1()));
    }
    if (args.length === 3) {
      const [a0, a1, a2] = args;
      return () => guard(invoke(impl, name, site, 3, a0(), a1(), a2()));
    }
    const values: unknown[] = new Array(args.length);
    return () => {
      for (let i = 0; i < args.length; i++) values[i] = args[i]();
      return guard(impl(ctx, ...values));
    };
  };

  /** Calls a primitive with up to three arguments; a failure becomes the program's run-time error naming the call. */
  const invoke = (impl: (c: ProgramContext, ...a: unknown[]) => unknown, name: string, site: string, n: number, a?: unknown, b?: unknown, c?: unknown): unknown => {
    try {
      return n === 0 ? impl(ctx) : n === 1 ? impl(ctx, a) : n === 2 ? impl(ctx, a, b) : impl(ctx, a, b, c);
    } catch (e) {
      if (e instanceof ProgramRuntimeError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new ProgramRuntimeError(`${name} at ${site} failed: ${isArborError(e) ? message : `${message} (a bug in the primitive)`}`);
    }
  };

  /** Compiles a `define` (its parameters get slots); later calls by name reach it. */
  const define = (d: Pick<Define, 'name' | 'body'> & { readonly params: readonly { readonly name: string }[] }) => {
    const scope = new Map<string, number>();
    const params = d.params.map((p) => {
      const slot = newSlot();
      scope.set(p.name, slot);
      return slot;
    });
    const compiled = { params, body: compileExpr(d.body, scope) };
    defines.set(d.name, compiled);
    return compiled;
  };

  return {
    budget, limits, stats, cache, slots, newSlot, compileExpr, define,
    /** Marks the start of a run (for the deadline message) and sets the deadline past which it fails (`grace` ms after the deadline, default overrunAllowance). */
    started: (grace?: number) => {
      startedAt = performance.now();
      hardDeadline = limits.deadline === Infinity ? Infinity : limits.deadline + (grace ?? overrunAllowance(limits.deadline - startedAt));
    },
  };
}
