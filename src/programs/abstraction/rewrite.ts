import { createHash } from 'node:crypto';
import { call, children, exprSize, lambda, withChildren, type Expr, type Program } from '../ast.js';
import { checkLibraryFunction, type LibraryFunction } from '../library-functions.js';
import { printExpr } from '../print.js';
import type { PrimitiveLookup } from '../registry.js';
import type { ProgramType } from '../types.js';
import { bindPattern, holeIndex, holeOccurrences, patternArity, sameHead, type HoleOccurrence } from './pattern.js';

/**
 * A candidate abstraction made a library function, and programs rewritten to call it: every
 * subtree the pattern matches (top-down: the outermost match wins, its arguments are rewritten in
 * turn) becomes `(NAME args...)`.
 */

export interface Abstraction {
  readonly fn: LibraryFunction;
  readonly pattern: Expr;
  readonly occurrences: readonly HoleOccurrence[];
  readonly arity: number;
}

/** Parameter names by type: short, and readable in the printed function. */
const PARAM_STEMS: Readonly<Record<string, string>> = { position: 'p', move: 'm', moves: 'ms', number: 'x', value: 'v', boolean: 'b', policy: 'pi' };

function namesIn(e: Expr, into: Set<string>): Set<string> {
  if (e.kind === 'var') into.add(e.name);
  if (e.kind === 'let') for (const b of e.bindings) into.add(b.name);
  if (e.kind === 'lambda') for (const p of e.params) into.add(p.name);
  for (const c of children(e)) namesIn(c, into);
  return into;
}

function fillHoles(e: Expr, names: readonly string[]): Expr {
  const index = holeIndex(e);
  if (index >= 0) return { kind: 'var', name: names[index] };
  const kids = children(e);
  return kids.length === 0 ? e : withChildren(e, kids.map((k) => fillHoles(k, names)));
}

/**
 * The library function of a pattern: parameters named by their types (`p` a position, `x` a
 * number, ...), the body type-checked against `lookup`, the name `PREFIX` plus six hex digits of
 * the SHA-256 of its text (the same abstraction learned twice gets the same name). Null when the
 * body does not type or does not return a scalar.
 */
export function abstractionOf(pattern: Expr, holeTypes: readonly ProgramType[], lookup: PrimitiveLookup, prefix = 'fn-'): Abstraction | null {
  const used = namesIn(pattern, new Set());
  const names: string[] = [];
  for (const t of holeTypes) {
    const stem = typeof t === 'string' ? PARAM_STEMS[t] : 'f';
    let name = stem;
    for (let i = 2; used.has(name) || names.includes(name); i++) name = `${stem}${i}`;
    names.push(name);
  }
  const body = fillHoles(pattern, names);
  const params = names.map((name, i) => ({ name, type: holeTypes[i] }));
  const text = printExpr(lambda(params, body));
  const name = `${prefix}${createHash('sha256').update(text).digest('hex').slice(0, 6)}`;
  let result: ProgramType;
  try {
    result = checkLibraryFunction({ name, params, body }, lookup);
  } catch {
    return null;
  }
  if (!['number', 'value', 'boolean', 'move'].includes(result as string)) return null;
  const occurrences = holeOccurrences(pattern);
  return {
    fn: { name, type: { args: [...holeTypes], result }, body: lambda(params, body) },
    pattern,
    occurrences,
    arity: patternArity(pattern),
  };
}

/** `e` with every match of the abstraction replaced by a call; `uses` counts the calls made. */
export function rewriteExpr(e: Expr, a: Abstraction, lookup: PrimitiveLookup, counter: { uses: number }): Expr {
  // The pattern's root is never a hole (an abstraction keeps at least two nodes): compare heads first.
  if (sameHead(a.pattern, e)) {
    const bindings = bindPattern(a.pattern, a.occurrences, a.arity, e, lookup);
    if (bindings) {
      counter.uses++;
      return call(a.fn.name, ...bindings.map((b) => rewriteExpr(b, a, lookup, counter)));
    }
  }
  const kids = children(e);
  if (kids.length === 0) return e;
  let changed = false;
  const next = kids.map((k) => {
    const r = rewriteExpr(k, a, lookup, counter);
    if (r !== k) changed = true;
    return r;
  });
  return changed ? withChildren(e, next) : e;
}

/** The program with every body (its defines' and its own) rewritten; `uses` counts the calls made. */
export function rewriteProgram(p: Program, a: Abstraction, lookup: PrimitiveLookup, counter: { uses: number }): Program {
  return {
    yields: p.yields,
    defines: p.defines.map((d) => ({ name: d.name, params: d.params, body: rewriteExpr(d.body, a, lookup, counter) })),
    body: rewriteExpr(p.body, a, lookup, counter),
  };
}

/** Nodes of a library function's body: what the library pays for it (Stitch counts an abstraction's body once). */
export function functionSize(fn: LibraryFunction): number {
  return exprSize(fn.body.body);
}
