import type { Game } from '../core/index.js';
import type { MoveSet, ProgramType } from './types.js';

/**
 * The control built-ins of the language (besides the special forms `if`, `let`, `lambda`):
 * arithmetic with safe division, comparisons, logic, choosing a move over a move set, and the
 * conversions a program's result needs (a move or scores to a `policy`, a number to a `value`).
 * Each has a signature for the checker and a `compile` that turns its compiled arguments into
 * one closure (no AST walk at run time; see compile.ts).
 */

/** A compiled expression: evaluates it in the program's current frame. */
export type Thunk = () => unknown;

/** What a built-in's compiler is given besides its arguments. */
export interface BuiltinSite {
  readonly game: Game;
  /** `line:column` of the call, for run-time errors. */
  readonly where: string;
  /** Throws the program's run-time error (a ProgramRuntimeError) with `reason`. */
  readonly fail: (reason: string) => never;
}

export interface Builtin {
  /** Fixed argument types, or `variadic`: two or more arguments of that type. */
  readonly args?: readonly ProgramType[];
  readonly variadic?: ProgramType;
  /** `=`: two arguments of one scalar type (number/value, move, boolean). */
  readonly sameScalar?: true;
  readonly result: ProgramType;
  readonly doc: string;
  readonly compile: (args: readonly Thunk[], site: BuiltinSite) => Thunk;
}

const NUM_FN: ProgramType = { args: ['move'], result: 'number' };
const BOOL_FN: ProgramType = { args: ['move'], result: 'boolean' };

type NumFn = (m: number) => number;
type BoolFn = (m: number) => boolean;

function binary(op: (a: number, b: number) => number | boolean): Builtin['compile'] {
  return ([a, b]) => () => op(a() as number, b() as number);
}

function unary(op: (a: number) => number): Builtin['compile'] {
  return ([a]) => () => op(a() as number);
}

/** n-ary left fold over numbers, specialised for 2 and 3 arguments (the common cases). */
function fold(op: (a: number, b: number) => number): Builtin['compile'] {
  return (args) => {
    if (args.length === 2) {
      const [a, b] = args;
      return () => op(a() as number, b() as number);
    }
    if (args.length === 3) {
      const [a, b, c] = args;
      return () => op(op(a() as number, b() as number), c() as number);
    }
    return () => {
      let acc = args[0]() as number;
      for (let i = 1; i < args.length; i++) acc = op(acc, args[i]() as number);
      return acc;
    };
  };
}

/** The move of `moves` with the highest (sign 1) or lowest (sign -1) score; ties go to the lowest action id. */
function chooser(sign: 1 | -1, name: string): Builtin['compile'] {
  return ([movesOf, fnOf], site) => () => {
    const moves = movesOf() as MoveSet;
    const score = fnOf() as NumFn;
    if (moves.count === 0) site.fail(`${name} over an empty move set at ${site.where}`);
    let best = moves.actions[0];
    let bestScore = sign * score(best);
    for (let i = 1; i < moves.count; i++) {
      const m = moves.actions[i];
      const s = sign * score(m);
      if (s > bestScore) {
        bestScore = s;
        best = m;
      }
    }
    if (Number.isNaN(bestScore)) site.fail(`${name} at ${site.where}: the score is not a number`);
    return best;
  };
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  '+': { variadic: 'number', result: 'number', doc: 'sum of two or more numbers', compile: fold((a, b) => a + b) },
  '*': { variadic: 'number', result: 'number', doc: 'product of two or more numbers', compile: fold((a, b) => a * b) },
  min: { variadic: 'number', result: 'number', doc: 'smallest of two or more numbers', compile: fold((a, b) => (b < a ? b : a)) },
  max: { variadic: 'number', result: 'number', doc: 'largest of two or more numbers', compile: fold((a, b) => (b > a ? b : a)) },
  '-': { args: ['number', 'number'], result: 'number', doc: 'a - b', compile: binary((a, b) => a - b) },
  '/': { args: ['number', 'number'], result: 'number', doc: 'a / b, and 0 when b is 0 (safe division: no infinities)', compile: binary((a, b) => (b === 0 ? 0 : a / b)) },
  neg: { args: ['number'], result: 'number', doc: '-a', compile: unary((a) => -a) },
  abs: { args: ['number'], result: 'number', doc: '|a|', compile: unary(Math.abs) },
  '<': { args: ['number', 'number'], result: 'boolean', doc: 'a < b', compile: binary((a, b) => a < b) },
  '<=': { args: ['number', 'number'], result: 'boolean', doc: 'a <= b', compile: binary((a, b) => a <= b) },
  '>': { args: ['number', 'number'], result: 'boolean', doc: 'a > b', compile: binary((a, b) => a > b) },
  '>=': { args: ['number', 'number'], result: 'boolean', doc: 'a >= b', compile: binary((a, b) => a >= b) },
  '=': { sameScalar: true, result: 'boolean', doc: 'equality of two numbers, two moves or two booleans', compile: ([a, b]) => () => a() === b() },
  and: {
    variadic: 'boolean', result: 'boolean', doc: 'true when every argument is (stops at the first false)',
    compile: (args) => () => {
      for (const a of args) if (!(a() as boolean)) return false;
      return true;
    },
  },
  or: {
    variadic: 'boolean', result: 'boolean', doc: 'true when some argument is (stops at the first true)',
    compile: (args) => () => {
      for (const a of args) if (a() as boolean) return true;
      return false;
    },
  },
  not: { args: ['boolean'], result: 'boolean', doc: 'negation', compile: ([a]) => () => !(a() as boolean) },
  argmax: { args: ['moves', NUM_FN], result: 'move', doc: '(argmax MOVES (lambda (m) SCORE)): the move with the highest score (ties: the lowest action id)', compile: chooser(1, 'argmax') },
  argmin: { args: ['moves', NUM_FN], result: 'move', doc: '(argmin MOVES (lambda (m) SCORE)): the move with the lowest score (ties: the lowest action id)', compile: chooser(-1, 'argmin') },
  any: {
    args: ['moves', BOOL_FN], result: 'boolean', doc: '(any MOVES (lambda (m) TEST)): whether some move passes the test',
    compile: ([movesOf, fnOf]) => () => {
      const moves = movesOf() as MoveSet;
      const test = fnOf() as BoolFn;
      for (let i = 0; i < moves.count; i++) if (test(moves.actions[i])) return true;
      return false;
    },
  },
  count: {
    args: ['moves', BOOL_FN], result: 'number', doc: '(count MOVES (lambda (m) TEST)): how many moves pass the test',
    compile: ([movesOf, fnOf]) => () => {
      const moves = movesOf() as MoveSet;
      const test = fnOf() as BoolFn;
      let n = 0;
      for (let i = 0; i < moves.count; i++) if (test(moves.actions[i])) n++;
      return n;
    },
  },
  'one-hot': {
    args: ['move'], result: 'policy', doc: 'the policy that plays this move',
    compile: ([moveOf], site) => {
      const policy = new Float32Array(site.game.numActions);
      let last = -1;
      return () => {
        const m = moveOf() as number;
        if (!Number.isInteger(m) || m < 0 || m >= policy.length) site.fail(`one-hot at ${site.where}: ${m} is not a move`);
        if (last >= 0) policy[last] = 0;
        policy[m] = 1;
        last = m;
        return policy;
      };
    },
  },
  softmax: {
    args: ['moves', NUM_FN, 'number'], result: 'policy',
    doc: '(softmax MOVES (lambda (m) SCORE) T): p(m) ∝ exp(score/T) over the moves (T <= 0: all weight on the best)',
    compile: ([movesOf, fnOf, temperatureOf], site) => {
      const policy = new Float32Array(site.game.numActions);
      const scores = new Float64Array(site.game.numActions);
      return () => {
        const moves = movesOf() as MoveSet;
        const score = fnOf() as NumFn;
        const t = temperatureOf() as number;
        if (moves.count === 0) site.fail(`softmax over an empty move set at ${site.where}`);
        policy.fill(0);
        let top = -Infinity;
        let topMove = moves.actions[0];
        for (let i = 0; i < moves.count; i++) {
          const s = score(moves.actions[i]);
          if (Number.isNaN(s)) site.fail(`softmax at ${site.where}: a score is not a number`);
          scores[i] = s;
          if (s > top) {
            top = s;
            topMove = moves.actions[i];
          }
        }
        if (!(t > 0) || !Number.isFinite(top)) {
          policy[topMove] = 1;
          return policy;
        }
        let total = 0;
        for (let i = 0; i < moves.count; i++) total += scores[i] = Math.exp((scores[i] - top) / t);
        for (let i = 0; i < moves.count; i++) policy[moves.actions[i]] = scores[i] / total;
        return policy;
      };
    },
  },
  squash: { args: ['number'], result: 'value', doc: 'a number to a value in (-1, 1): tanh', compile: unary(Math.tanh) },
  clip: { args: ['number'], result: 'value', doc: 'a number to a value: clamped to [-1, 1]', compile: unary((a) => (a < -1 ? -1 : a > 1 ? 1 : a)) },
};
