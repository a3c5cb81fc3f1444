import type { BaseType, ProgramType } from './types.js';

/**
 * The abstract syntax of arbor's agent language: immutable plain-data nodes, so two programs are
 * equal exactly when their JSON is, a subtree can be shared between programs, and synthesis
 * (enumeration, mutation, crossover) and library learning (Stitch-style abstraction, Bowers et
 * al. POPL 2023) rebuild trees with `withChildren` instead of editing them. Source positions are
 * kept beside the nodes (`spanOf`), not in them: a parsed program equals the same program built
 * by hand or read from JSON.
 */

export type Expr = NumberLit | BooleanLit | RefLit | Var | Call | If | Let | Lambda;

export interface NumberLit {
  readonly kind: 'number';
  readonly value: number;
}

export interface BooleanLit {
  readonly kind: 'boolean';
  readonly value: boolean;
}

/**
 * A resource reference written in the program text, `"lib:c4-family"` or `"runs/c4"`: the network
 * or stem a geometric primitive (a PrimitiveFactory: `net-value`, `pattern-at`, ...) is bound to.
 * It is a compile-time constant: the type checker accepts it only as the first argument of such a
 * primitive, and the program loader prepares (loads) each distinct reference once before the
 * program runs (prepare.ts).
 */
export interface RefLit {
  readonly kind: 'ref';
  readonly value: string;
}

/** A variable: `pos`, a `let` binding, a `lambda` or `define` parameter. */
export interface Var {
  readonly kind: 'var';
  readonly name: string;
}

/** `(op args...)`: a control built-in (`+`, `argmax`, ...), a primitive or a `define`d function. */
export interface Call {
  readonly kind: 'call';
  readonly op: string;
  readonly args: readonly Expr[];
}

export interface If {
  readonly kind: 'if';
  readonly test: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

/** `(let ((x e1) (y e2)) body)`: bindings are made in order; each sees the ones before it. */
export interface Let {
  readonly kind: 'let';
  readonly bindings: readonly Binding[];
  readonly body: Expr;
}

export interface Binding {
  readonly name: string;
  readonly value: Expr;
}

/** `(lambda (m) body)` or `(lambda ((m move)) body)`: parameter types are written or inferred from where the lambda is used. */
export interface Lambda {
  readonly kind: 'lambda';
  readonly params: readonly LambdaParam[];
  readonly body: Expr;
}

export interface LambdaParam {
  readonly name: string;
  /** As written; absent when inferred. */
  readonly type?: ProgramType;
}

/** `(define (name (a T) ...) body)`: a helper function; it sees its parameters and the functions defined before it. */
export interface Define {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: ProgramType }[];
  readonly body: Expr;
}

/** What a program yields: a move chooser (`policy`) or a position evaluator (`value`). */
export type ProgramKind = 'policy' | 'value';

/** A whole program file: helper definitions, then `(program policy|value BODY)` with `pos` bound to the position. */
export interface Program {
  readonly yields: ProgramKind;
  readonly defines: readonly Define[];
  readonly body: Expr;
}

/** Words with a meaning of their own: never names of variables or functions. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['if', 'let', 'lambda', 'define', 'program', 'true', 'false', '->']);

export const BASE_TYPES: readonly BaseType[] = ['number', 'boolean', 'move', 'moves', 'position', 'policy', 'value'];

/** Line and column (both 1-based) where a node starts in its source text. */
export interface Span {
  readonly line: number;
  readonly column: number;
}

const spans = new WeakMap<object, Span>();

/** Records where `node` was read from (the parser does this). */
export function setSpan<T extends object>(node: T, span: Span): T {
  spans.set(node, span);
  return node;
}

/** Where a node was read from, if it came from text. */
export function spanOf(node: object): Span | undefined {
  return spans.get(node);
}

/** `line:column` of a node, or `(no position)` for nodes built in code or read from JSON. */
export function where(node: object): string {
  const span = spans.get(node);
  return span ? `${span.line}:${span.column}` : '(no position)';
}

// Constructors, for code that builds programs (tests, synthesis).
export const num = (value: number): NumberLit => ({ kind: 'number', value });
export const bool = (value: boolean): BooleanLit => ({ kind: 'boolean', value });
export const ref = (value: string): RefLit => ({ kind: 'ref', value });
export const v = (name: string): Var => ({ kind: 'var', name });
export const call = (op: string, ...args: Expr[]): Call => ({ kind: 'call', op, args });
export const ifExpr = (test: Expr, then: Expr, otherwise: Expr): If => ({ kind: 'if', test, then, else: otherwise });
export const letExpr = (bindings: Binding[], body: Expr): Let => ({ kind: 'let', bindings, body });
export const lambda = (params: LambdaParam[], body: Expr): Lambda => ({ kind: 'lambda', params, body });

/** The direct subexpressions of a node, in source order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'number':
    case 'boolean':
    case 'ref':
    case 'var':
      return [];
    case 'call':
      return e.args;
    case 'if':
      return [e.test, e.then, e.else];
    case 'let':
      return [...e.bindings.map((b) => b.value), e.body];
    case 'lambda':
      return [e.body];
  }
}

/** The node with its subexpressions replaced (same count and order as `children`). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  const expect = children(e).length;
  if (kids.length !== expect) throw new Error(`withChildren: ${e.kind} has ${expect} children, got ${kids.length}`);
  switch (e.kind) {
    case 'number':
    case 'boolean':
    case 'ref':
    case 'var':
      return e;
    case 'call':
      return { kind: 'call', op: e.op, args: [...kids] };
    case 'if':
      return { kind: 'if', test: kids[0], then: kids[1], else: kids[2] };
    case 'let':
      return { kind: 'let', bindings: e.bindings.map((b, i) => ({ name: b.name, value: kids[i] })), body: kids[kids.length - 1] };
    case 'lambda':
      return { kind: 'lambda', params: e.params, body: kids[0] };
  }
}

/** Number of nodes of an expression (the synthesizer's measure of program size). */
export function exprSize(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += exprSize(c);
  return n;
}

/** Number of nodes of a program: its body and every definition's body. */
export function programSize(p: Program): number {
  return p.defines.reduce((n, d) => n + exprSize(d.body), exprSize(p.body));
}

/** Path from the root to a subexpression: child indexes (as `children` orders them). */
export type ExprPath = readonly number[];

/** The subexpression at `path`. */
export function exprAt(e: Expr, path: ExprPath): Expr {
  let node = e;
  for (const i of path) {
    const kids = children(node);
    if (i < 0 || i >= kids.length) throw new Error(`exprAt: no child ${i} in a ${node.kind} node`);
    node = kids[i];
  }
  return node;
}

/** `e` with the subexpression at `path` replaced by `replacement` (the rest shared, not copied). */
export function replaceAt(e: Expr, path: ExprPath, replacement: Expr): Expr {
  if (path.length === 0) return replacement;
  const kids = [...children(e)];
  const [head, ...rest] = path;
  if (head < 0 || head >= kids.length) throw new Error(`replaceAt: no child ${head} in a ${e.kind} node`);
  kids[head] = replaceAt(kids[head], rest, replacement);
  return withChildren(e, kids);
}

/** Every subexpression with its path, root first (pre-order). */
export function subexpressions(e: Expr): { readonly path: ExprPath; readonly expr: Expr }[] {
  const out: { path: ExprPath; expr: Expr }[] = [];
  const visit = (node: Expr, path: number[]): void => {
    out.push({ path, expr: node });
    children(node).forEach((c, i) => visit(c, [...path, i]));
  };
  visit(e, []);
  return out;
}

export function isFunctionType(t: ProgramType): t is Exclude<ProgramType, BaseType> {
  return typeof t !== 'string';
}

/** Types as written in program text: `number`, `(-> move number)`. */
export function typeToString(t: ProgramType): string {
  if (typeof t === 'string') return t;
  return `(-> ${[...t.args, t.result].map(typeToString).join(' ')})`;
}

export function typesEqual(a: ProgramType, b: ProgramType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.args.length === b.args.length && a.args.every((t, i) => typesEqual(t, b.args[i])) && typesEqual(a.result, b.result);
}

/** Whether a `found` value may stand where `expected` is wanted: equal types, or a `value` (in [-1, 1]) where a `number` is wanted. */
export function assignable(found: ProgramType, expected: ProgramType): boolean {
  if (found === 'value' && expected === 'number') return true;
  return typesEqual(found, expected);
}
