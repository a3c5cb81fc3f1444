import type { Rng } from '../../core/index.js';
import { call, exprAt, exprSize, isFunctionType, num, replaceAt, type Expr, type ExprPath, type Program } from '../ast.js';
import { checkProgram, typedSubexpressions } from '../check.js';
import type { PrimitiveLookup } from '../registry.js';
import type { BaseType, ProgramType } from '../types.js';
import { contextOf, type SynthContext } from './context.js';
import type { Enumerator } from './enumerate.js';
import { slotChoices, type Grammar } from './grammar.js';

/**
 * The variation operators of the evolutionary phase, all type-preserving (strongly typed genetic
 * programming, Montana 1995):
 * - subtree mutation: a subexpression of type T is replaced by a random kept expression of type T
 *   from the enumerator's bank for the same scope (so it is well-typed and not known to fail);
 * - crossover: a subexpression of one parent is replaced by a subexpression of the same type and
 *   scope from the other;
 * - additive growth: a number subexpression X becomes `(+ X (* c T))` with T from the bank;
 * - constant tuning: a (1+1) evolution strategy step (Rechenberg 1973; Schwefel 1981) on all the
 *   numeric constants of the body at once, with a step size the caller adapts by the 1/5 rule.
 * Every result is type-checked before it is returned; an operator that finds no valid move
 * returns null.
 */

/** A subexpression of a program body with its type and scope. */
export interface TypedPoint {
  readonly path: ExprPath;
  readonly expr: Expr;
  readonly type: ProgramType;
  readonly ctx: SynthContext;
  /** The only expressions the grammar allows here (a side, a stone count), when restricted. */
  readonly choices?: readonly Expr[];
}

/** Every subexpression of the body with its type and the variables in scope there. */
export function typedPoints(program: Program, lookup: PrimitiveLookup, grammar?: Grammar): TypedPoint[] {
  const typed = typedSubexpressions(program, { primitives: lookup }).filter((t) => t.owner === 'body');
  const typeAt = new Map(typed.map((t) => [t.path.join('.'), t.type]));
  return typed.map((t) => {
    const vars: { name: string; type: BaseType }[] = [{ name: 'pos', type: 'position' }];
    let depth = 0;
    for (let i = 0; i < t.path.length; i++) {
      const prefix = t.path.slice(0, i);
      const node = exprAt(program.body, prefix);
      const type = typeAt.get(prefix.join('.'));
      if (node.kind === 'lambda' && type && isFunctionType(type)) {
        depth++;
        node.params.forEach((p, k) => vars.push({ name: p.name, type: type.args[k] as BaseType }));
      }
      if (node.kind === 'let') {
        const k = t.path[i];
        node.bindings.slice(0, Math.min(k, node.bindings.length)).forEach((b, j) => vars.push({ name: b.name, type: typeAt.get([...prefix, j].join('.')) as BaseType }));
      }
    }
    let choices: readonly Expr[] | undefined;
    if (grammar && t.path.length > 0) {
      const parent = exprAt(program.body, t.path.slice(0, -1));
      if (parent.kind === 'call') choices = slotChoices(grammar, parent.op, t.path[t.path.length - 1]);
    }
    return { path: t.path, expr: t.expr, type: t.type, ctx: contextOf(vars, depth), choices };
  });
}

function withBody(program: Program, body: Expr): Program {
  return { yields: program.yields, defines: program.defines, body };
}


function checked(program: Program, lookup: PrimitiveLookup, maxSize: number): Program | null {
  if (exprSize(program.body) > maxSize) return null;
  try {
    checkProgram(program, { primitives: lookup });
    return program;
  } catch {
    return null;
  }
}

/** Subtree mutation; `maxSubtree` bounds the size of the new subtree, `maxSize` the body's. */
export function mutate(program: Program, enumerator: Enumerator, lookup: PrimitiveLookup, rng: Rng, maxSubtree: number, maxSize: number): Program | null {
  const points = typedPoints(program, lookup, enumerator.grammar).filter((p) => enumerator.hasContext(p.ctx.key));
  for (let attempt = 0; attempt < 8 && points.length > 0; attempt++) {
    const point = points[rng.int(points.length)];
    const ctx = enumerator.hasContext(point.ctx.key) as SynthContext;
    const replacement = point.choices ? point.choices[rng.int(point.choices.length)] : enumerator.randomExpression(ctx, point.type, maxSubtree, rng);
    if (!replacement || JSON.stringify(replacement) === JSON.stringify(point.expr)) continue;
    const child = checked(withBody(program, replaceAt(program.body, point.path, replacement)), lookup, maxSize);
    if (child) return child;
  }
  return null;
}

/**
 * Additive growth: a number subexpression X becomes `(+ X (* c T))`, T a random kept expression of
 * the scope and c a grammar constant. Evaluation functions are mostly weighted sums of features
 * (Samuel 1959 onwards), and mutation alone reaches a sum of two features only by luck.
 */
export function extend(program: Program, enumerator: Enumerator, lookup: PrimitiveLookup, rng: Rng, maxSubtree: number, maxSize: number): Program | null {
  const points = typedPoints(program, lookup, enumerator.grammar).filter((p) => !p.choices && (p.type === 'number' || p.type === 'value') && enumerator.hasContext(p.ctx.key));
  const constants = enumerator.grammar.constants;
  for (let attempt = 0; attempt < 8 && points.length > 0 && constants.length > 0; attempt++) {
    const point = points[rng.int(points.length)];
    const term = enumerator.randomExpression(enumerator.hasContext(point.ctx.key) as SynthContext, 'number', maxSubtree, rng);
    if (!term) continue;
    const weight = constants[rng.int(constants.length)] * (rng.next() < 0.5 ? -1 : 1);
    const child = checked(withBody(program, replaceAt(program.body, point.path, call('+', point.expr, call('*', num(weight), term)))), lookup, maxSize);
    if (child) return child;
  }
  return null;
}

/** Crossover: `a` with one subexpression replaced by a subexpression of `b` of the same type and scope. */
export function crossover(a: Program, b: Program, lookup: PrimitiveLookup, rng: Rng, maxSize: number, grammar?: Grammar): Program | null {
  // Restricted arguments are left alone: a donor subtree would rarely be one of their choices.
  const pa = typedPoints(a, lookup, grammar).filter((p) => !p.choices);
  const pb = typedPoints(b, lookup, grammar).filter((p) => !p.choices);
  if (pa.length === 0) return null;
  for (let attempt = 0; attempt < 8; attempt++) {
    const target = pa[rng.int(pa.length)];
    const donors = pb.filter((p) => p.ctx.key === target.ctx.key && JSON.stringify(p.type) === JSON.stringify(target.type) && JSON.stringify(p.expr) !== JSON.stringify(target.expr));
    if (donors.length === 0) continue;
    const donor = donors[rng.int(donors.length)];
    const child = checked(withBody(a, replaceAt(a.body, target.path, donor.expr)), lookup, maxSize);
    if (child) return child;
  }
  return null;
}

/** Paths of the numeric constants of the body (those in restricted arguments, such as a stone count, excluded). */
export function constantPaths(program: Program, grammar?: Grammar): ExprPath[] {
  const out: ExprPath[] = [];
  const visit = (e: Expr, path: number[]): void => {
    if (e.kind === 'number') out.push(path);
    const kids = e.kind === 'call' ? e.args : e.kind === 'if' ? [e.test, e.then, e.else] : e.kind === 'let' ? [...e.bindings.map((x) => x.value), e.body] : e.kind === 'lambda' ? [e.body] : [];
    kids.forEach((k, i) => {
      if (e.kind === 'call' && grammar && slotChoices(grammar, e.op, i)) return;
      visit(k, [...path, i]);
    });
  };
  visit(program.body, []);
  return out;
}

/**
 * One (1+1)-ES step: every constant c moves by sigma * (|c| + 0.1) * N(0, 1) (a relative step,
 * so weights of any scale move), rounded to three significant digits to keep programs readable.
 */
export function perturbConstants(program: Program, sigma: number, rng: Rng, lookup: PrimitiveLookup, grammar?: Grammar): Program | null {
  const paths = constantPaths(program, grammar);
  if (paths.length === 0) return null;
  let body = program.body;
  for (const path of paths) {
    const c = (exprAt(body, path) as { value: number }).value;
    const next = Number((c + sigma * (Math.abs(c) + 0.1) * rng.normal()).toPrecision(3));
    body = replaceAt(body, path, num(Object.is(next, -0) ? 0 : next));
  }
  return checked(withBody(program, body), lookup, Infinity);
}
