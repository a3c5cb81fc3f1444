import { children, type Expr, type Var } from '../ast.js';
import { BUILTINS } from '../builtins.js';
import type { PrimitiveLookup } from '../registry.js';

/**
 * Patterns: expressions with holes, the candidate abstractions of library learning (Stitch,
 * Bowers et al. POPL 2023, §3: "partial programs with holes"; the holes become the abstraction's
 * parameters). A hole is a variable named `?N` (a name program text cannot write), numbered in
 * the order of first appearance (pre-order), so equal patterns are equal data.
 *
 * A call `(f a b)` evaluates each argument exactly once, before the body; the subtree it replaces
 * evaluated the same expressions where they stood. The two agree when every hole stands where its
 * expression was always evaluated once (a *strict* position), or when the expression is *safe*
 * (a literal, a variable, arithmetic over them: evaluating it early cannot fail or spend budget),
 * and when a hole that occurs twice binds a *pure* expression. Holes never capture a variable
 * the pattern binds itself (a `let` or `lambda` inside it). `occurrences` records what each
 * hole occurrence needs; matching (`bindPattern`) enforces it.
 */

const HOLE = '?';

export function hole(index: number): Var {
  return { kind: 'var', name: `${HOLE}${index}` };
}

/** The hole's number, or -1 for any other expression. */
export function holeIndex(e: Expr): number {
  return e.kind === 'var' && e.name.startsWith(HOLE) ? Number(e.name.slice(1)) : -1;
}

/** Structural equality (names, values, shapes; lambda parameter types included). */
export function exprEqual(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (!sameHead(a, b)) return false;
  const ka = children(a);
  const kb = children(b);
  for (let i = 0; i < ka.length; i++) if (!exprEqual(ka[i], kb[i])) return false;
  return true;
}

/** Whether two nodes agree on everything but their children: kind, literal, name, operator, arity, binders. */
export function sameHead(a: Expr, b: Expr): boolean {
  switch (a.kind) {
    case 'number':
    case 'boolean':
    case 'ref':
      return b.kind === a.kind && b.value === a.value;
    case 'var':
      return b.kind === 'var' && b.name === a.name;
    case 'call':
      return b.kind === 'call' && b.op === a.op && b.args.length === a.args.length;
    case 'if':
      return b.kind === 'if';
    case 'let':
      return b.kind === 'let' && b.bindings.length === a.bindings.length && a.bindings.every((x, i) => x.name === b.bindings[i].name);
    case 'lambda':
      return b.kind === 'lambda' && b.params.length === a.params.length
        && a.params.every((p, i) => p.name === b.params[i].name && JSON.stringify(p.type) === JSON.stringify(b.params[i].type));
  }
}

/** A key equal for nodes with the same head (for grouping subtrees that can anti-unify into more than a hole). */
export function headKey(e: Expr): string {
  switch (e.kind) {
    case 'number':
    case 'boolean':
    case 'ref':
      return `${e.kind}:${String(e.value)}`;
    case 'var':
      return `var:${e.name}`;
    case 'call':
      return `call:${e.op}/${e.args.length}`;
    case 'if':
      return 'if';
    case 'let':
      return `let:${e.bindings.map((b) => b.name).join(',')}`;
    case 'lambda':
      return `lambda:${JSON.stringify(e.params)}`;
  }
}

/** Where a child sits: the names bound around it inside the enclosing expression, and whether it is always evaluated once. */
export interface ChildContext {
  readonly binders: ReadonlySet<string>;
  readonly strict: boolean;
}

/** The context of each child of `e` (as `children` orders them), given `e`'s own. */
export function childContexts(e: Expr, binders: ReadonlySet<string>, strict: boolean): ChildContext[] {
  switch (e.kind) {
    case 'number':
    case 'boolean':
    case 'ref':
    case 'var':
      return [];
    case 'if':
      return [{ binders, strict }, { binders, strict: false }, { binders, strict: false }];
    case 'call': {
      const shortCircuit = e.op === 'and' || e.op === 'or';
      return e.args.map((_, i) => ({ binders, strict: strict && (!shortCircuit || i === 0) }));
    }
    case 'let': {
      const out: ChildContext[] = [];
      let inner = new Set(binders);
      for (const b of e.bindings) {
        out.push({ binders: inner, strict });
        inner = new Set(inner).add(b.name);
      }
      out.push({ binders: inner, strict });
      return out;
    }
    case 'lambda': {
      // A lambda's body runs once per move it is applied to: zero, one or many times.
      const inner = new Set(binders);
      for (const p of e.params) inner.add(p.name);
      return [{ binders: inner, strict: false }];
    }
  }
}

/** The variables `e` reads that it does not bind itself. */
export function freeVars(e: Expr, bound: ReadonlySet<string> = new Set(), into: Set<string> = new Set()): Set<string> {
  if (e.kind === 'var') {
    if (!bound.has(e.name)) into.add(e.name);
    return into;
  }
  const kids = children(e);
  const contexts = childContexts(e, bound, true);
  kids.forEach((c, i) => freeVars(c, contexts[i].binders, into));
  return into;
}

const SAFE_OPS: ReadonlySet<string> = new Set(['+', '*', 'min', 'max', '-', '/', 'neg', 'abs', '<', '<=', '>', '>=', '=', 'and', 'or', 'not', 'squash', 'clip']);

/** Evaluating it cannot fail, spend budget or draw random numbers: literals, variables, arithmetic and logic over them. */
export function isSafe(e: Expr): boolean {
  if (e.kind === 'number' || e.kind === 'boolean' || e.kind === 'ref' || e.kind === 'var') return true;
  if (e.kind === 'call') return SAFE_OPS.has(e.op) && e.args.every(isSafe);
  if (e.kind === 'if') return isSafe(e.test) && isSafe(e.then) && isSafe(e.else);
  return false;
}

/** Gives the same result every time in the same scope: it calls only built-ins and pure primitives. */
export function isPure(e: Expr, lookup: PrimitiveLookup): boolean {
  if (e.kind === 'call' && !(e.op in BUILTINS) && lookup.find(e.op)?.pure !== true) return false;
  return children(e).every((c) => isPure(c, lookup));
}

/** One appearance of a hole in a pattern, with what its binding must satisfy there. */
export interface HoleOccurrence {
  readonly index: number;
  /** Names the pattern binds around it: the binding may not read them (it is evaluated outside). */
  readonly binders: ReadonlySet<string>;
  /** Always evaluated exactly once when the pattern is; otherwise its binding must be safe. */
  readonly strict: boolean;
}

export function holeOccurrences(pattern: Expr): HoleOccurrence[] {
  const out: HoleOccurrence[] = [];
  const walk = (e: Expr, binders: ReadonlySet<string>, strict: boolean): void => {
    const index = holeIndex(e);
    if (index >= 0) {
      out.push({ index, binders, strict });
      return;
    }
    const contexts = childContexts(e, binders, strict);
    children(e).forEach((c, i) => walk(c, contexts[i].binders, contexts[i].strict));
  };
  walk(pattern, new Set(), true);
  return out;
}

/** Nodes of the pattern that are not holes: what one use of the abstraction saves, plus one for the call. */
export function patternNodes(pattern: Expr): number {
  if (holeIndex(pattern) >= 0) return 0;
  let n = 1;
  for (const c of children(pattern)) n += patternNodes(c);
  return n;
}

/** Number of distinct holes of a pattern (its arity). */
export function patternArity(pattern: Expr): number {
  let max = -1;
  for (const o of holeOccurrences(pattern)) max = Math.max(max, o.index);
  return max + 1;
}

/**
 * The bindings of the pattern's holes that make it equal `e`, or null when it does not match or
 * a binding breaks a rule of its occurrence (captures a variable the pattern binds, is unsafe at
 * a position not always evaluated, or is impure where the hole occurs twice).
 */
export function bindPattern(pattern: Expr, occurrences: readonly HoleOccurrence[], arity: number, e: Expr, lookup: PrimitiveLookup): Expr[] | null {
  const bindings: (Expr | undefined)[] = new Array(arity).fill(undefined);
  const match = (p: Expr, x: Expr): boolean => {
    const index = holeIndex(p);
    if (index >= 0) {
      const bound = bindings[index];
      if (bound === undefined) {
        bindings[index] = x;
        return true;
      }
      return exprEqual(bound, x);
    }
    if (!sameHead(p, x)) return false;
    const kp = children(p);
    const kx = children(x);
    for (let i = 0; i < kp.length; i++) if (!match(kp[i], kx[i])) return false;
    return true;
  };
  if (!match(pattern, e)) return null;
  const seen = new Array<number>(arity).fill(0);
  for (const o of occurrences) seen[o.index]++;
  for (const o of occurrences) {
    const b = bindings[o.index] as Expr;
    if (o.binders.size > 0) {
      for (const name of freeVars(b)) if (o.binders.has(name)) return null;
    }
    if (!o.strict && !isSafe(b)) return null;
    if (seen[o.index] > 1 && !isPure(b, lookup)) return null;
  }
  return bindings as Expr[];
}
