import { call, children, num, type Define, type Expr, type Program } from '../ast.js';

/**
 * How the synthesizer's programs are shaped. It writes value programs: a number expression N over
 * the position becomes `(program value (squash (* 0.1 N)))`. The scale keeps tanh out of
 * saturation for counts up to a few dozen (two children whose values both round to 1 would tie),
 * and it is a constant like any other, so the evolution strategy may tune it.
 */
export const VALUE_SCALE = 0.1;

/**
 * The value program of a number expression. While it is searched, a program carries every library
 * function (so crossover may bring in a call to any of them); `withUsedDefines` trims it for output.
 */
export function valueProgram(expr: Expr, library: readonly Define[]): Program {
  return { yields: 'value', defines: library, body: call('squash', call('*', num(VALUE_SCALE), expr)) };
}

/** The functions of `library` that `body` calls, directly or through each other, in library order (each after those it calls). */
export function usedDefines(body: Expr, library: readonly Define[]): Define[] {
  const byName = new Map(library.map((d) => [d.name, d]));
  const used = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.kind === 'call' && byName.has(e.op) && !used.has(e.op)) {
      used.add(e.op);
      visit((byName.get(e.op) as Define).body);
    }
    for (const c of children(e)) visit(c);
  };
  visit(body);
  return library.filter((d) => used.has(d.name));
}

/** A program with its defines recomputed from its body (after mutation or crossover changed the calls). */
export function withUsedDefines(program: Program, library: readonly Define[]): Program {
  return { yields: program.yields, defines: usedDefines(program.body, library), body: program.body };
}
