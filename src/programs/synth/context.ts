import { typeToString } from '../ast.js';
import type { BaseType, FunctionType } from '../types.js';

/**
 * A scope the synthesizer builds expressions in: the program body sees `pos`; the body of a
 * lambda passed to `count` sees `pos` and the lambda's parameter. Banks of enumerated
 * expressions are kept per context, because an expression using `m` means nothing outside the
 * lambda that binds it.
 */
export interface SynthContext {
  readonly key: string;
  readonly vars: readonly { readonly name: string; readonly type: BaseType }[];
  /** Lambdas around this scope. */
  readonly depth: number;
}

const LETTER: Partial<Record<BaseType, string>> = { move: 'm', number: 'x', position: 'q', boolean: 'b', moves: 'ms', value: 'y', policy: 'pi' };

function contextKey(vars: SynthContext['vars']): string {
  return vars.map((v) => `${v.name}:${v.type}`).join(',');
}

/** The program body's scope: `pos`. */
export const TOP_CONTEXT: SynthContext = { key: contextKey([{ name: 'pos', type: 'position' }]), vars: [{ name: 'pos', type: 'position' }], depth: 0 };

/** Parameter names of a lambda of type `fn` made in `ctx`: one letter per type, the depth, and an index when a type repeats. */
export function lambdaParamNames(ctx: SynthContext, fn: FunctionType): string[] {
  const depth = ctx.depth + 1;
  return fn.args.map((t, i) => {
    const letter = typeof t === 'string' ? (LETTER[t] ?? 'a') : 'f';
    const repeats = fn.args.filter((u) => typeToString(u) === typeToString(t)).length > 1;
    return `${letter}${depth > 1 ? depth : ''}${repeats ? `_${i}` : ''}`;
  });
}

/** The scope of the body of a lambda of type `fn` made in `ctx`, or null when a parameter is of a function type. */
export function lambdaContext(ctx: SynthContext, fn: FunctionType): SynthContext | null {
  if (fn.args.some((t) => typeof t !== 'string')) return null;
  const names = lambdaParamNames(ctx, fn);
  const vars = [...ctx.vars, ...fn.args.map((t, i) => ({ name: names[i], type: t as BaseType }))];
  return { key: contextKey(vars), vars, depth: ctx.depth + 1 };
}

/** The scope given by explicit variables (what a path inside a program sees). */
export function contextOf(vars: SynthContext['vars'], depth: number): SynthContext {
  return { key: contextKey(vars), vars, depth };
}
