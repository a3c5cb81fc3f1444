import { ArborError, type Game, type Rng } from '../core/index.js';
import type { LibraryEntry } from '../transfer/index.js';
import { RESERVED_WORDS, call, children, isFunctionType, num, typeToString, typesEqual, type Define, type Expr, type Lambda, type Program } from './ast.js';
import { BUILTINS } from './builtins.js';
import { checkProgram } from './check.js';
import { compileFunction, type CompiledFunction } from './compile.js';
import { ProgramTypeError } from './errors.js';
import { parseExpr, parseType } from './parse.js';
import { printExpr } from './print.js';
import { primitiveLookup, primitives as registered, type PrimitiveLookup } from './registry.js';
import type { FunctionType, Primitive, ProgramBudget, ProgramContext, ProgramType } from './types.js';

/**
 * Library functions: named functions of the language stored in the library as `program` entries
 * whose type is a function type, e.g. `(-> position number)` — what `arbor library abstract`
 * learns from programs of several games (Stitch, Bowers et al. POPL 2023; DreamCoder, Ellis et
 * al. PLDI 2021) and what the synthesizer offers as primitives of size one. A program calls one
 * by name, `(NAME args...)`, like any primitive: a library function *is* a `Primitive` whose
 * implementation is its body compiled once per game (compile.ts `compileFunction`), spending from
 * the caller's budget. Like a `define`, it returns a scalar (number, value, boolean or move) and
 * sees only its parameters and the library functions it was built on (no recursion).
 */

export interface LibraryFunction {
  /** Its name in program text (and its library entry's name). */
  readonly name: string;
  readonly type: FunctionType;
  /** `(lambda ((a T) ...) BODY)`, every parameter typed, their types `type.args`. */
  readonly body: Lambda;
}

const FUNCTION_NAME = /^[a-z][a-z0-9-]*[?]?$/;
const SCALAR_RESULTS: readonly ProgramType[] = ['number', 'value', 'boolean', 'move'];

/** Whether a program entry's type (its `meta.type`) is a function type, i.e. the entry is a library function. */
export function isFunctionTypeText(type: unknown): type is string {
  return typeof type === 'string' && type.trimStart().startsWith('(->');
}

/** The text stored for a library function: its lambda, printed. */
export function libraryFunctionText(fn: LibraryFunction): string {
  return `${printExpr(fn.body)}\n`;
}

/** Reads a library function from its entry's name, type text and program text; one ArborError on any problem. */
export function parseLibraryFunction(name: string, typeText: string, text: string, source = `lib:${name}`): LibraryFunction {
  checkFunctionName(name, source);
  const type = parseType(typeText, `${source} (type)`);
  if (!isFunctionType(type)) throw new ArborError(`${source}: type ${typeText} is not a function type; a library function's type is written (-> ARG... RESULT)`);
  const body = parseExpr(text, source);
  if (body.kind !== 'lambda') throw new ArborError(`${source}: a library function's text is (lambda ((NAME TYPE) ...) BODY), found a ${body.kind}`);
  const untyped = body.params.find((p) => p.type === undefined);
  if (untyped) throw new ArborError(`${source}: parameter ${untyped.name} has no type; write (${untyped.name} TYPE)`);
  const declared = body.params.map((p) => p.type as ProgramType);
  if (declared.length !== type.args.length || declared.some((t, i) => !typesEqual(t, type.args[i]))) {
    throw new ArborError(`${source}: the parameters (${declared.map(typeToString).join(' ')}) disagree with the type ${typeToString(type)}`);
  }
  return { name, type, body };
}

function checkFunctionName(name: string, source: string): void {
  if (!FUNCTION_NAME.test(name) || RESERVED_WORDS.has(name)) {
    throw new ArborError(`${source}: "${name}" cannot name a library function; use lower-case letters, digits and '-', starting with a letter (e.g. open-line-balance)`);
  }
  if (name in BUILTINS) throw new ArborError(`${source}: "${name}" is a control built-in; give the library function another name`);
}

/**
 * Type-checks a function's body with its parameters' types against `lookup` (which must not hold
 * the function itself: no recursion) and returns the body's type. Throws ProgramTypeError, with
 * positions, as for a program; a function must return a scalar, as a `define` must.
 */
export function checkLibraryFunction(fn: { readonly name: string; readonly params: readonly { readonly name: string; readonly type: ProgramType }[]; readonly body: Expr }, lookup: PrimitiveLookup = registered, source = `lib:${fn.name}`): ProgramType {
  let result: ProgramType | undefined;
  const without: PrimitiveLookup = { find: (n) => (n === fn.name ? undefined : lookup.find(n)), names: () => lookup.names().filter((n) => n !== fn.name) };
  // Checked as the one `define` of a program that does nothing else: the rules (scalar result, scope) are a define's.
  const program: Program = { yields: 'value', defines: [{ name: fn.name, params: fn.params, body: fn.body }], body: call('clip', num(0)) };
  checkProgram(program, {
    primitives: without,
    source,
    visit: (owner, path, _expr, type) => {
      if (owner === fn.name && path.length === 0) result = type;
    },
  });
  return result as ProgramType;
}

/** Names of the functions a body calls that are not control built-ins (primitives, library functions). */
export function calledNames(e: Expr, into: Set<string> = new Set()): Set<string> {
  if (e.kind === 'call' && !(e.op in BUILTINS)) into.add(e.op);
  for (const c of children(e)) calledNames(c, into);
  return into;
}

/**
 * The primitive that implements `fn`: its signature is `fn.type`; it is pure when every
 * primitive its body calls is (then the compiler may cache its results by position hash); its
 * body is compiled once per game and call site and spends from the calling program's budget.
 */
export function libraryFunctionPrimitive(fn: LibraryFunction, lookup: PrimitiveLookup = registered): Primitive {
  const source = `lib:${fn.name}`;
  checkFunctionName(fn.name, source);
  if (lookup.find(fn.name)) throw new ArborError(`library function ${fn.name} has the name of a primitive; give it another name`);
  const params = fn.body.params.map((p, i) => ({ name: p.name, type: fn.type.args[i] }));
  const result = checkLibraryFunction({ name: fn.name, params, body: fn.body.body }, lookup, source);
  if (!typesEqual(result, fn.type.result)) throw new ProgramTypeError(`${source}: the body's type is ${typeToString(result)}, the declared type says ${typeToString(fn.type.result)}`);
  if (!SCALAR_RESULTS.includes(result)) throw new ProgramTypeError(`${source}: a library function returns number, value, boolean or move, not ${typeToString(result)}`);
  const pure = [...calledNames(fn.body.body)].every((n) => lookup.find(n)?.pure === true);
  const compiledFor = new WeakMap<Game, CompiledFunction>();
  const compile = (game: Game): CompiledFunction => compileFunction({ name: fn.name, params, body: fn.body.body }, game, { primitives: lookup, source });
  const arity = params.length;
  return {
    name: fn.name,
    args: fn.type.args,
    result: fn.type.result,
    pure,
    doc: `library function ${printExpr(fn.body)}`,
    fn: (ctx: ProgramContext, ...args: unknown[]) => {
      let compiled = compiledFor.get(ctx.game);
      if (!compiled) compiledFor.set(ctx.game, (compiled = compile(ctx.game)));
      return compiled.call(ctx.budget, ctx.rng, args);
    },
    instantiate: (game: Game) => {
      const compiled = compile(game);
      // One argument buffer per call site: `call` copies it into the body's slots before running, so reuse is safe.
      const args: unknown[] = new Array(arity);
      const run = (budget: ProgramBudget, rng: Rng) => compiled.call(budget, rng, args);
      if (arity === 0) return (ctx: ProgramContext) => run(ctx.budget, ctx.rng);
      if (arity === 1) {
        return (ctx: ProgramContext, a: unknown) => {
          args[0] = a;
          return run(ctx.budget, ctx.rng);
        };
      }
      if (arity === 2) {
        return (ctx: ProgramContext, a: unknown, b: unknown) => {
          args[0] = a;
          args[1] = b;
          return run(ctx.budget, ctx.rng);
        };
      }
      if (arity === 3) {
        return (ctx: ProgramContext, a: unknown, b: unknown, c: unknown) => {
          args[0] = a;
          args[1] = b;
          args[2] = c;
          return run(ctx.budget, ctx.rng);
        };
      }
      return (ctx: ProgramContext, ...rest: unknown[]) => {
        for (let i = 0; i < arity; i++) args[i] = rest[i];
        return run(ctx.budget, ctx.rng);
      };
    },
  } as Primitive;
}

/**
 * The primitives of several library functions, each seeing `base` and the others it calls (a
 * function is checked after the ones it calls; a cycle is refused). Returns them in that order.
 */
export function libraryFunctionPrimitives(fns: readonly LibraryFunction[], base: PrimitiveLookup = registered): Primitive[] {
  const byName = new Map<string, LibraryFunction>();
  for (const fn of fns) {
    if (byName.has(fn.name)) throw new ArborError(`library function ${fn.name} is given twice`);
    byName.set(fn.name, fn);
  }
  const done = new Map<string, Primitive>();
  const visiting = new Set<string>();
  const lookup = primitiveLookup(base, { find: (n) => done.get(n), names: () => [...done.keys()] });
  const build = (fn: LibraryFunction): void => {
    if (done.has(fn.name)) return;
    if (visiting.has(fn.name)) throw new ArborError(`library function ${fn.name} calls itself through ${[...visiting].join(' -> ')}; library functions may not recurse`);
    visiting.add(fn.name);
    for (const n of calledNames(fn.body.body)) {
      const dep = byName.get(n);
      if (dep && !base.find(n)) build(dep);
    }
    visiting.delete(fn.name);
    done.set(fn.name, libraryFunctionPrimitive(fn, lookup));
  };
  for (const fn of fns) build(fn);
  return [...done.values()];
}

/** A library holding program entries: a `Library`, or `Libraries` (yours, then the starter one). */
export interface ProgramEntrySource {
  list(): LibraryEntry[];
}

/**
 * Every library function in `library`: the `program` entries whose type is a function type and
 * whose name the language can call (other program entries are agents, not functions), each read
 * and checked against its checksums. Their bodies are type-checked when they become primitives
 * (libraryFunctionPrimitives).
 */
export async function loadLibraryFunctions(library: ProgramEntrySource): Promise<LibraryFunction[]> {
  // Imported on demand: the library brings SQLite, which programs without library functions do not need.
  const { readProgram } = await import('../transfer/library-programs.js');
  return library.list()
    .filter((e) => e.kind === 'program' && isFunctionTypeText(e.meta.type) && FUNCTION_NAME.test(e.name))
    .map((e) => {
      const { text, type } = readProgram(e);
      return parseLibraryFunction(e.name, type, text);
    });
}

/**
 * The lookup a program is checked and compiled against: `base`, plus the library functions it
 * calls (and those they call) when it calls names `base` does not know. Those are read from your
 * library, then the starter library (`$ARBOR_LIBRARY` or `locations`); a name found in neither is
 * left for the type checker to report.
 */
export async function resolveLibraryFunctions(program: Program, base: PrimitiveLookup = registered, locations: { user?: string; starter?: string } = {}): Promise<PrimitiveLookup> {
  const defined = new Set(program.defines.map((d) => d.name));
  const wanted = new Set<string>();
  for (const e of [program.body, ...program.defines.map((d) => d.body)]) {
    for (const n of calledNames(e)) if (!defined.has(n) && !base.find(n)) wanted.add(n);
  }
  if (wanted.size === 0) return base;
  const { Libraries } = await import('../transfer/library-paths.js');
  const libraries = new Libraries(locations);
  let all: LibraryFunction[];
  try {
    all = await loadLibraryFunctions(libraries);
  } finally {
    libraries.close();
  }
  const byName = new Map(all.map((f) => [f.name, f]));
  const needed = new Map<string, LibraryFunction>();
  const queue = [...wanted];
  while (queue.length > 0) {
    const n = queue.pop() as string;
    const fn = byName.get(n);
    if (!fn || needed.has(n) || base.find(n)) continue;
    needed.set(n, fn);
    queue.push(...calledNames(fn.body.body));
  }
  if (needed.size === 0) return base;
  return primitiveLookup(base, libraryFunctionPrimitives([...needed.values()], base));
}

/** The entry type stored in the library for `fn`, e.g. `(-> position number number)`. */
export function libraryFunctionType(fn: LibraryFunction): string {
  return typeToString(fn.type);
}

/** Whether a library `program` entry's type names a function (the others are whole programs: `policy`, `value`). */
export function isFunctionEntryType(type: string): boolean {
  return type.trimStart().startsWith('(->');
}

/** Results a `define` may return (check.ts): a function returning anything else cannot be carried in a program. */
const DEFINABLE_RESULTS: readonly ProgramType[] = ['number', 'value', 'boolean', 'move'];

/** Whether a program can carry `fn` as a `define` (defines return scalars and take no function arguments). */
export function isDefinable(fn: LibraryFunction): boolean {
  return DEFINABLE_RESULTS.includes(fn.type.result) && fn.type.args.every((a) => !isFunctionType(a));
}

/** `fn` as a `define` of a program, so a program calling it is self-contained (synthesized programs carry theirs). */
export function libraryFunctionDefine(fn: LibraryFunction): Define {
  if (!isDefinable(fn)) throw new ArborError(`library function ${fn.name} has type ${typeToString(fn.type)}; only functions of non-function arguments returning number, value, boolean or move can be defined in a program`);
  return { name: fn.name, params: fn.body.params.map((p, i) => ({ name: p.name, type: fn.type.args[i] })), body: fn.body.body };
}
