import { children, isFunctionType, typesEqual, withChildren, type Expr } from '../ast.js';
import type { PrimitiveLookup } from '../registry.js';
import type { ProgramType } from '../types.js';
import { childContexts, exprEqual, freeVars, hole, isPure, isSafe, patternNodes, sameHead } from './pattern.js';

/**
 * Anti-unification: the most specific pattern two expressions are both instances of (Plotkin's
 * least general generalisation, 1970): where they agree the pattern keeps the node, where they
 * differ it puts a hole, typed by the checker's types of the two subtrees. The same pair of
 * differing pure subtrees gets the same hole, so `(- (f pos 2) (f pos 3))` and
 * `(- (f p 2) (f p 3))` give `(- (f ?0 2) (f ?0 3))`. Variables the two do not bind themselves
 * (`pos`, a define's parameter, an enclosing lambda's move) become holes too, so the pattern
 * is closed and can become a library function of its holes. Stitch (Bowers et al. POPL 2023)
 * searches the space of such patterns top-down; arbor takes the simpler route its authors
 * compare against: candidates from pairwise anti-unification of same-typed subtrees.
 *
 * Returns null when no useful pattern exists: a hole would capture a variable bound inside the
 * pattern, an unsafe expression would be hoisted out of a position not always evaluated
 * (pattern.ts), the two holes' types disagree, a hole would be a function, or the pattern keeps
 * fewer than two nodes.
 */

export interface AntiUnified {
  readonly pattern: Expr;
  /** Type of each hole, by number. */
  readonly holeTypes: readonly ProgramType[];
}

export interface AntiUnifyOptions {
  /** The checker's type of a subtree of either input (undefined: unknown, no hole made there). */
  readonly typeOf: (e: Expr) => ProgramType | undefined;
  readonly lookup: PrimitiveLookup;
  /** At most this many holes (default 4). */
  readonly maxArity?: number;
}

/** The type both a `left` and a `right` subtree can be passed as: equal types, or number for a number and a value. */
function joinTypes(left: ProgramType, right: ProgramType): ProgramType | null {
  if (typesEqual(left, right)) return left;
  if ((left === 'value' && right === 'number') || (left === 'number' && right === 'value')) return 'number';
  return null;
}

export function antiUnify(left: Expr, right: Expr, options: AntiUnifyOptions): AntiUnified | null {
  const maxArity = options.maxArity ?? 4;
  const holes: { left: Expr; right: Expr; type: ProgramType; pure: boolean }[] = [];

  const makeHole = (a: Expr, b: Expr, binders: ReadonlySet<string>, strict: boolean): Expr | null => {
    if (binders.size > 0) {
      for (const n of freeVars(a)) if (binders.has(n)) return null;
      for (const n of freeVars(b)) if (binders.has(n)) return null;
    }
    if (!strict && !(isSafe(a) && isSafe(b))) return null;
    const ta = options.typeOf(a);
    const tb = options.typeOf(b);
    if (ta === undefined || tb === undefined) return null;
    const type = joinTypes(ta, tb);
    if (type === null || isFunctionType(type)) return null;
    const pure = isPure(a, options.lookup) && isPure(b, options.lookup);
    if (pure) {
      const same = holes.findIndex((h) => h.pure && exprEqual(h.left, a) && exprEqual(h.right, b));
      if (same >= 0) return holes[same].type === type ? hole(same) : null;
    }
    if (holes.length >= maxArity) return null;
    holes.push({ left: a, right: b, type, pure });
    return hole(holes.length - 1);
  };

  const walk = (a: Expr, b: Expr, binders: ReadonlySet<string>, strict: boolean): Expr | null => {
    if (!sameHead(a, b)) return makeHole(a, b, binders, strict);
    if (a.kind === 'var') return binders.has(a.name) ? a : makeHole(a, b, binders, strict);
    const ka = children(a);
    if (ka.length === 0) return a;
    const kb = children(b);
    const contexts = childContexts(a, binders, strict);
    const kids: Expr[] = [];
    for (let i = 0; i < ka.length; i++) {
      const k = walk(ka[i], kb[i], contexts[i].binders, contexts[i].strict);
      if (k === null) return null;
      kids.push(k);
    }
    return withChildren(a, kids);
  };

  const pattern = walk(left, right, new Set(), true);
  if (pattern === null || patternNodes(pattern) < 2) return null;
  return { pattern, holeTypes: holes.map((h) => h.type) };
}
