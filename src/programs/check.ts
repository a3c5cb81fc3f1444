import { closestName } from '../core/index.js';
import { printRef } from './print.js';
import { assignable, isFunctionType, typeToString, typesEqual, where, type Expr, type ExprPath, type Program } from './ast.js';
import { BUILTINS } from './builtins.js';
import { ProgramTypeError } from './errors.js';
import { primitiveFactories, primitives, type FactoryLookup, type PrimitiveLookup } from './registry.js';
import type { FunctionType, ProgramType } from './types.js';

/**
 * The type checker: every node gets a type, or the program is refused with one error naming the
 * node's position, the type expected there and the type found. Rules:
 * - literals are `number` / `boolean`; `pos` is the `position` in the program body;
 * - a `value` (in [-1, 1]) may stand where a `number` is expected, not the reverse (`squash` or
 *   `clip` make a value of a number);
 * - `if` needs a boolean test and branches of one type (a number and a value give a number);
 * - `lambda` may appear only where a function is expected (an argument of `argmax`, `softmax`,
 *   or of a primitive taking a function); untyped parameters take the expected argument types;
 * - a `define` sees its parameters and the functions defined before it (no recursion, so every
 *   program terminates; only primitives search, under the call's budget), and returns a scalar
 *   (number, value, boolean or move);
 * - a policy program's body is a `move` or a `policy`; a value program's body is a `value`;
 * - a primitive bound to a network (a factory: `net-value`, `pattern-at`, ...) takes a reference
 *   literal `"lib:NAME"` as its first argument, and a reference may appear nowhere else: it is a
 *   compile-time constant, so the loader knows every network a program uses before it runs.
 *   Reference literals are not typed subexpressions (`visit` skips them): they are constants that
 *   synthesis must not replace by other expressions.
 */

const SCALAR_RESULTS: readonly string[] = ['number', 'value', 'boolean', 'move'];

export interface CheckOptions {
  readonly primitives?: PrimitiveLookup;
  /** The primitives that take a reference (default: the registry's factories). */
  readonly factories?: FactoryLookup;
  /** Names the program in messages (a file path). */
  readonly source?: string;
  /** Called for every node with its type: where it is (`body` or a define's name), its path and the node. */
  readonly visit?: (owner: string, path: ExprPath, expr: Expr, type: ProgramType) => void;
}

/** Types the program; throws ProgramTypeError on the first problem. Returns the body's type. */
export function checkProgram(program: Program, options: CheckOptions = {}): ProgramType {
  const lookup = options.primitives ?? primitives;
  const factories = options.factories ?? primitiveFactories;
  const isFunction = (name: string) => defined.has(name) || lookup.find(name) !== undefined || factories.find(name) !== undefined || name in BUILTINS;
  const source = options.source ?? '<program>';
  const defined = new Map<string, FunctionType>();
  const fail = (node: object, detail: string): never => {
    throw new ProgramTypeError(`${source}:${where(node)}: ${detail}`);
  };
  let owner = 'body';

  const check = (e: Expr, env: ReadonlyMap<string, ProgramType>, path: number[], expected?: ProgramType): ProgramType => {
    const t = infer(e, env, path, expected);
    options.visit?.(owner, path, e, t);
    return t;
  };

  /** Checks `e` against `expected`, naming `what` in the error. */
  const expect = (e: Expr, env: ReadonlyMap<string, ProgramType>, path: number[], expected: ProgramType, what: string): ProgramType => {
    const found = check(e, env, path, expected);
    if (!assignable(found, expected)) fail(e, `${what} expects ${typeToString(expected)}, found ${typeToString(found)}`);
    return found;
  };

  const infer = (e: Expr, env: ReadonlyMap<string, ProgramType>, path: number[], expected?: ProgramType): ProgramType => {
    switch (e.kind) {
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'ref': {
        const takers = factories.names();
        return fail(e, `the reference ${printRef(e.value)} may appear only as the first argument of a primitive that takes one (${takers.length ? takers.join(', ') : 'none is registered'})`);
      }
      case 'var': {
        const t = env.get(e.name);
        if (t === undefined) {
          const known = [...env.keys()];
          const hint = isFunction(e.name) ? ` (${e.name} is a function: call it as (${e.name} ...))` : '';
          return fail(e, `unknown variable ${e.name}${hint}; in scope: ${known.length ? known.join(', ') : '(none)'}`);
        }
        return t;
      }
      case 'if': {
        expect(e.test, env, [...path, 0], 'boolean', 'the condition of if');
        const a = check(e.then, env, [...path, 1], expected);
        const b = check(e.else, env, [...path, 2], expected);
        if (typesEqual(a, b)) return a;
        if (assignable(a, 'number') && assignable(b, 'number')) return 'number';
        return fail(e.else, `the else-branch of if expects ${typeToString(a)} (the then-branch's type), found ${typeToString(b)}`);
      }
      case 'let': {
        const inner = new Map(env);
        e.bindings.forEach((b, i) => {
          const t = check(b.value, inner, [...path, i]);
          if (isFunctionType(t)) fail(b.value, `let ${b.name} expects a value, found a function ${typeToString(t)}`);
          inner.set(b.name, t);
        });
        return check(e.body, inner, [...path, e.bindings.length], expected);
      }
      case 'lambda': {
        if (!expected || !isFunctionType(expected)) {
          return fail(e, `a lambda may appear only as an argument that takes a function${expected ? `; here ${typeToString(expected)} is expected` : ''}`);
        }
        if (e.params.length !== expected.args.length) fail(e, `lambda expects ${expected.args.length} parameter(s) for ${typeToString(expected)}, found ${e.params.length}`);
        const inner = new Map(env);
        e.params.forEach((p, i) => {
          if (p.type !== undefined && !typesEqual(p.type, expected.args[i])) fail(e, `lambda parameter ${p.name} expects ${typeToString(expected.args[i])}, found ${typeToString(p.type)}`);
          inner.set(p.name, expected.args[i]);
        });
        expect(e.body, inner, [...path, 0], expected.result, 'the lambda body');
        return expected;
      }
      case 'call': {
        const builtin = BUILTINS[e.op];
        const args = e.args;
        const arity = (n: number): void => {
          if (args.length !== n) fail(e, `(${e.op} ...) expects ${n} argument(s), found ${args.length}`);
        };
        if (builtin) {
          if (builtin.variadic) {
            if (args.length < 2) fail(e, `(${e.op} ...) expects 2 or more arguments, found ${args.length}`);
            args.forEach((a, i) => expect(a, env, [...path, i], builtin.variadic as ProgramType, `(${e.op} ...) argument ${i + 1}`));
            return builtin.result;
          }
          if (builtin.sameScalar) {
            arity(2);
            const a = check(args[0], env, [...path, 0]);
            const b = check(args[1], env, [...path, 1]);
            const scalar = (t: ProgramType) => (t === 'value' ? 'number' : t);
            if (!['number', 'move', 'boolean'].includes(scalar(a) as string)) fail(args[0], `(${e.op} ...) argument 1 expects number, move or boolean, found ${typeToString(a)}`);
            if (scalar(a) !== scalar(b)) fail(args[1], `(${e.op} ...) argument 2 expects ${typeToString(scalar(a))} (argument 1's type), found ${typeToString(b)}`);
            return builtin.result;
          }
          return callWith(e, builtin.args as readonly ProgramType[], builtin.result, env, path);
        }
        const fn = defined.get(e.op);
        if (fn) return callWith(e, fn.args, fn.result, env, path);
        const prim = lookup.find(e.op);
        if (prim) return callWith(e, prim.args, prim.result, env, path);
        const factory = factories.find(e.op);
        if (factory) return callFactory(e, factory.args, factory.result, env, path);
        if (env.has(e.op)) return fail(e, `${e.op} is a variable, not a function; only built-ins, primitives and defined functions can be called`);
        const guess = closestName(e.op, [...Object.keys(BUILTINS), ...defined.keys(), ...lookup.names(), ...factories.names()]);
        return fail(e, `unknown function ${e.op};${guess ? ` did you mean ${guess}?` : ''} the built-ins and primitives are listed in docs/programs.md; library functions come from your library ($ARBOR_LIBRARY, see arbor library list)`);
      }
    }
  };

  const callWith = (e: Extract<Expr, { kind: 'call' }>, args: readonly ProgramType[], result: ProgramType, env: ReadonlyMap<string, ProgramType>, path: number[]): ProgramType => {
    if (e.args.length !== args.length) fail(e, `(${e.op} ...) expects ${args.length} argument(s) (${args.map(typeToString).join(' ') || 'none'}), found ${e.args.length}`);
    e.args.forEach((a, i) => expect(a, env, [...path, i], args[i], `(${e.op} ...) argument ${i + 1}`));
    return result;
  };

  /** `(net-value "REF" pos)`: the reference literal first, then the factory's arguments. */
  const callFactory = (e: Extract<Expr, { kind: 'call' }>, args: readonly ProgramType[], result: ProgramType, env: ReadonlyMap<string, ProgramType>, path: number[]): ProgramType => {
    const [first, ...rest] = e.args;
    const usage = `(${e.op} "lib:NAME" ${args.map(typeToString).join(' ')})`;
    if (first === undefined || first.kind !== 'ref') {
      const found = first === undefined ? 'no argument' : first.kind === 'var' ? `the variable ${first.name} (a reference is a literal in quotes, not a variable)` : `a ${first.kind} expression`;
      return fail(first ?? e, `(${e.op} ...) argument 1 expects a network reference in quotes, as in ${usage}, found ${found}`);
    }
    if (rest.length !== args.length) fail(e, `(${e.op} ...) expects a reference and ${args.length} argument(s), as in ${usage}, found ${e.args.length} argument(s)`);
    rest.forEach((a, i) => expect(a, env, [...path, i + 1], args[i], `(${e.op} ...) argument ${i + 2}`));
    return result;
  };

  for (const d of program.defines) {
    if (d.name in BUILTINS || lookup.find(d.name) || factories.find(d.name)) fail(d.body, `define ${d.name}: the name is taken by a ${d.name in BUILTINS ? 'built-in' : 'primitive'}; choose another`);
    if (defined.has(d.name)) fail(d.body, `define ${d.name}: defined twice`);
    const env = new Map<string, ProgramType>();
    for (const p of d.params) {
      if (env.has(p.name)) fail(d.body, `define ${d.name}: parameter ${p.name} appears twice`);
      env.set(p.name, p.type);
    }
    owner = d.name;
    const result = check(d.body, env, []);
    // Positions, move sets and policies are views into a call site's scratch buffers (see
    // Primitive.instantiate), which a second call of the same function would overwrite.
    if (!SCALAR_RESULTS.includes(result as string)) fail(d.body, `define ${d.name} returns ${typeToString(result)}; a defined function returns number, value, boolean or move (pass positions and move sets in as parameters)`);
    defined.set(d.name, { args: d.params.map((p) => p.type), result });
  }
  owner = 'body';
  const env = new Map<string, ProgramType>([['pos', 'position']]);
  const bodyType = check(program.body, env, []);
  if (program.yields === 'policy' && bodyType !== 'move' && bodyType !== 'policy') {
    fail(program.body, `a policy program's body expects move or policy, found ${typeToString(bodyType)}`);
  }
  if (program.yields === 'value' && bodyType !== 'value') {
    fail(program.body, `a value program's body expects value, found ${typeToString(bodyType)}${bodyType === 'number' ? ' (make one with (squash X) or (clip X))' : ''}`);
  }
  return bodyType;
}

/** Every subexpression of a (well-typed) program with its type: what synthesis mutates and abstraction compresses. */
export function typedSubexpressions(program: Program, options: Omit<CheckOptions, 'visit'> = {}): { owner: string; path: ExprPath; expr: Expr; type: ProgramType }[] {
  const out: { owner: string; path: ExprPath; expr: Expr; type: ProgramType }[] = [];
  checkProgram(program, { ...options, visit: (owner, path, expr, type) => out.push({ owner, path: [...path], expr, type }) });
  return out;
}
