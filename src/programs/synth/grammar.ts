import { call, num, type Define, type Expr } from '../ast.js';
import { BUILTINS } from '../builtins.js';
import { isDefinable, libraryFunctionDefine, type LibraryFunction } from '../library-functions.js';
import type { PrimitiveLookup } from '../registry.js';
import type { BaseType, ProgramType } from '../types.js';

/**
 * What the synthesizer may build programs from: the productions of a typed grammar. A production
 * is a call `(op ARG...)` with its argument and result types; terminals are the numeric constants,
 * the variables in scope (`pos`, a lambda's parameter) and calls without arguments (`(own)`).
 * Only well-typed programs are ever formed: an argument slot is filled only from expressions of a
 * type assignable to it (type-directed enumeration, as in DeepCoder, Balog et al. ICLR 2017).
 */
export interface Production {
  readonly op: string;
  readonly args: readonly ProgramType[];
  readonly result: ProgramType;
  /**
   * Per argument, when set: the only expressions allowed there. A side argument takes `(own)` or
   * `(opp)` and a stone count a small integer, not any number expression: still well-typed, but
   * `(open-lines pos (num-moves pos) 2)` would only waste the search's budget.
   */
  readonly choices?: readonly (readonly Expr[] | undefined)[];
}

export interface Grammar {
  /** Numeric constants (terminals of type number). */
  readonly constants: readonly number[];
  readonly productions: readonly Production[];
  /** Types T for which `(if boolean T T)` is formed. */
  readonly ifTypes: readonly BaseType[];
  /** Deepest nesting of lambdas (1: a lambda's body holds no lambda). */
  readonly lambdaDepth: number;
  /** Library functions the productions may call, as the `define`s a program carries. */
  readonly defines: readonly Define[];
}

/**
 * The built-ins the default grammar uses: arithmetic (binary forms of the variadic ones),
 * comparisons, logic and counting over moves with a lambda. Move choosers (`argmax`) and policies
 * are left out: the synthesizer writes value programs (docs/synthesis.md says why).
 */
const DEFAULT_BUILTINS: readonly string[] = ['+', '-', '*', 'max', 'min', 'neg', '<', 'and', 'not', 'count'];

/**
 * The default primitives: cheap board features and tactics that read the role-named planes, so
 * one grammar serves every game (a feature a game lacks answers 0 and observational equivalence
 * folds it into the constant). Searches (`solve`, `alphabeta`, `mcts-*`, `rollouts`) are left out:
 * their cost per call would dominate every game the synthesizer plays.
 */
const DEFAULT_PRIMITIVES: readonly string[] = [
  'own', 'opp', 'open-lines', 'threats', 'threat-at?', 'win-now?', 'loses-now?', 'num-moves', 'material', 'mobility',
  'centrality', 'goal-distance', 'legal-moves', 'winning-moves', 'safe-moves',
];

const SIDES: readonly Expr[] = [call('own'), call('opp')];
const STONES: readonly Expr[] = [num(1), num(2), num(3), num(4)];

/** Restricted arguments of the default primitives (see Production.choices). */
const DEFAULT_CHOICES: Readonly<Record<string, readonly (readonly Expr[] | undefined)[]>> = {
  'open-lines': [undefined, SIDES, STONES],
  threats: [undefined, SIDES],
  'threat-at?': [undefined, undefined, SIDES],
  mobility: [undefined, SIDES],
  'goal-distance': [undefined, SIDES],
};

/** The expressions allowed as argument `index` of a call to `op`, or undefined when any of the slot's type is. */
export function slotChoices(grammar: Grammar, op: string, index: number): readonly Expr[] | undefined {
  return grammar.productions.find((p) => p.op === op)?.choices?.[index];
}

/** The default numeric constants: small integers (line lengths, sides) and a few weights. */
export const DEFAULT_CONSTANTS: readonly number[] = [0.5, 1, 2, 3];

/** Productions for built-ins by name: variadic ones become binary, `=` is left out (its type is polymorphic). */
export function builtinProductions(names: readonly string[]): Production[] {
  const out: Production[] = [];
  for (const op of names) {
    const b = BUILTINS[op];
    if (!b) throw new Error(`grammar: ${op} is not a built-in`);
    if (b.variadic) out.push({ op, args: [b.variadic, b.variadic], result: b.result });
    else if (b.args) out.push({ op, args: b.args, result: b.result });
  }
  return out;
}

/**
 * The default grammar over `lookup`'s primitives (those of `DEFAULT_PRIMITIVES` that are
 * registered) plus every library function a program can carry, each a production of size one.
 */
export function defaultGrammar(lookup: PrimitiveLookup, library: readonly LibraryFunction[] = []): Grammar {
  const productions = builtinProductions(DEFAULT_BUILTINS);
  for (const name of DEFAULT_PRIMITIVES) {
    const p = lookup.find(name);
    if (p) productions.push({ op: p.name, args: p.args, result: p.result, choices: DEFAULT_CHOICES[name] });
  }
  const usable = library.filter(isDefinable);
  for (const fn of usable) productions.push({ op: fn.name, args: fn.type.args, result: fn.type.result });
  return { constants: DEFAULT_CONSTANTS, productions, ifTypes: ['number'], lambdaDepth: 1, defines: usable.map(libraryFunctionDefine) };
}
