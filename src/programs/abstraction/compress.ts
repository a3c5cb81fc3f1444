import { ArborError } from '../../core/index.js';
import { exprSize, isFunctionType, programSize, typeToString, type Expr, type Program } from '../ast.js';
import { checkProgram, typedSubexpressions } from '../check.js';
import { libraryFunctionPrimitive, type LibraryFunction } from '../library-functions.js';
import { primitiveLookup, primitives as registered, type PrimitiveLookup } from '../registry.js';
import type { ProgramType } from '../types.js';
import { antiUnify } from './anti-unify.js';
import { headKey } from './pattern.js';
import { abstractionOf, functionSize, rewriteProgram, type Abstraction } from './rewrite.js';

/**
 * Library learning by compression (Stitch: Bowers et al., "Top-Down Synthesis for Library
 * Learning", POPL 2023; DreamCoder's abstraction sleep: Ellis et al. PLDI 2021). The corpus is a
 * set of programs found for several games; an abstraction is worth what it saves:
 *
 *   utility(A) = size(corpus) - size(corpus rewritten with A) - size(body of A)
 *
 * sizes in AST nodes (a call to A is one node plus its arguments; A's body is paid once), which is
 * Stitch's compression utility with unit costs. Each round:
 *  1. every scalar-typed subtree of every program, typed by the checker, is grouped with those of
 *     the same type and head; each pair in a group is anti-unified (anti-unify.ts) into a pattern
 *     with typed holes — the candidates (Stitch searches them top-down; pairwise anti-unification
 *     is the simpler generator its paper compares against);
 *  2. each candidate, made a library function (rewrite.ts), is scored by rewriting the corpus;
 *     only those called by at least `minUses` programs of at least `minGames` games with a
 *     positive utility count;
 *  3. the best is rewritten in for real, each program type-checked with it (a program it would
 *     break keeps its old text), and kept if it is still the best (lazy greedy); the corpus is
 *     rewritten and the next round may build on it (Stitch's iterations).
 * It stops after `top` abstractions or when none pays.
 */

/** One program of the corpus: where it came from, the game it was found for, its AST. */
export interface CorpusProgram {
  /** A file path (`a.arb`, `synth.json#2`) or `lib:NAME`. */
  readonly source: string;
  /** The games it was found for (one, usually; a library entry may name several). */
  readonly games: readonly string[];
  readonly program: Program;
  /** The library entry it was read from, when it was (`lib:NAME`): the lineage of what is learned from it. */
  readonly entry?: string;
}

export interface LearnedAbstraction {
  readonly fn: LibraryFunction;
  /** Call sites made when it was chosen (in the corpus as the abstractions before it left it). */
  readonly uses: number;
  /** Sources of the programs that call it then. */
  readonly programs: readonly string[];
  /** Their games, sorted. */
  readonly games: readonly string[];
  /** Its utility: corpus nodes saved, its body counted once. */
  readonly compression: number;
}

export interface CompressionResult {
  readonly abstractions: readonly LearnedAbstraction[];
  /** The corpus rewritten with every abstraction, in input order. */
  readonly rewritten: readonly CorpusProgram[];
  /** Corpus nodes before. */
  readonly sizeBefore: number;
  /** Nodes of the rewritten corpus plus the abstractions' bodies. */
  readonly sizeAfter: number;
  /** Subtree pairs anti-unified and distinct candidate patterns, over all rounds. */
  readonly pairs: number;
  readonly candidates: number;
}

export interface CompressOptions {
  /** At most this many abstractions (default 3). */
  readonly top?: number;
  /** Programs that must call an abstraction (default 2). */
  readonly minUses?: number;
  /** Games those programs must span (default 2). */
  readonly minGames?: number;
  /** Most parameters of an abstraction (default 4). */
  readonly maxArity?: number;
  /** Most subtree pairs anti-unified per round (default 200,000): bounds the time on large corpora. */
  readonly maxPairs?: number;
  /** The primitives the programs call (default: the registry). */
  readonly primitives?: PrimitiveLookup;
  /** Start of every abstraction's name (default `fn-`). */
  readonly prefix?: string;
}

const SCALAR: ReadonlySet<ProgramType> = new Set<ProgramType>(['number', 'value', 'boolean', 'move']);

interface Scored {
  readonly abstraction: Abstraction;
  readonly utility: number;
  readonly uses: number;
  readonly using: readonly number[];
  readonly rewritten: readonly Program[];
  readonly lookup: PrimitiveLookup;
}

export function compressCorpus(corpus: readonly CorpusProgram[], options: CompressOptions = {}): CompressionResult {
  const top = options.top ?? 3;
  const minUses = options.minUses ?? 2;
  const minGames = options.minGames ?? 2;
  const maxPairs = options.maxPairs ?? 200_000;
  let lookup = options.primitives ?? registered;
  let programs = corpus.map((c) => c.program);
  for (const c of corpus) {
    try {
      checkProgram(c.program, { primitives: lookup, source: c.source });
    } catch (e) {
      throw new ArborError(`${(e as Error).message} (the corpus must type-check before abstraction)`);
    }
  }
  const sizeBefore = programs.reduce((n, p) => n + programSize(p), 0);
  const learned: LearnedAbstraction[] = [];
  let pairs = 0;
  let candidateCount = 0;

  /** Rewrites every program with `a`; `checked`: a program the rewrite breaks (type error) keeps its text. */
  const score = (a: Abstraction, checked: boolean): Scored | null => {
    let after: PrimitiveLookup = lookup;
    if (checked) {
      try {
        after = primitiveLookup(lookup, [libraryFunctionPrimitive(a.fn, lookup)]);
      } catch {
        return null;
      }
    }
    let saved = 0;
    let uses = 0;
    const using: number[] = [];
    const rewritten = programs.map((p, i) => {
      const counter = { uses: 0 };
      const r = rewriteProgram(p, a, lookup, counter);
      if (counter.uses === 0) return p;
      if (checked) {
        try {
          checkProgram(r, { primitives: after, source: corpus[i].source });
        } catch {
          return p;
        }
      }
      saved += programSize(p) - programSize(r);
      uses += counter.uses;
      using.push(i);
      return r;
    });
    const utility = saved - functionSize(a.fn);
    const games = new Set(using.flatMap((i) => corpus[i].games));
    if (using.length < minUses || games.size < minGames || utility <= 0) return null;
    return { abstraction: a, utility, uses, using, rewritten, lookup: after };
  };

  while (learned.length < top) {
    // 1. Candidates: anti-unify pairs of same-typed subtrees with the same head.
    const typeOf = new Map<Expr, ProgramType>();
    const groups = new Map<string, Expr[]>();
    programs.forEach((p, i) => {
      for (const { expr, type } of typedSubexpressions(p, { primitives: lookup, source: corpus[i].source })) {
        typeOf.set(expr, type);
        if (!SCALAR.has(type) || isFunctionType(type) || exprSize(expr) < 2) continue;
        const key = `${headKey(expr)}|${typeToString(type)}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = []));
        group.push(expr);
      }
    });
    const patterns = new Map<string, Abstraction>();
    let roundPairs = 0;
    outer: for (const group of groups.values()) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          if (roundPairs >= maxPairs) break outer;
          roundPairs++;
          const au = antiUnify(group[i], group[j], { typeOf: (e) => typeOf.get(e), lookup, maxArity: options.maxArity });
          if (!au) continue;
          const key = `${JSON.stringify(au.pattern)}|${JSON.stringify(au.holeTypes)}`;
          if (patterns.has(key)) continue;
          const a = abstractionOf(au.pattern, au.holeTypes, lookup, options.prefix);
          if (a) patterns.set(key, a);
        }
      }
    }
    pairs += roundPairs;
    candidateCount += patterns.size;

    // 2. Score each by rewriting the corpus (unchecked: an upper bound of the checked score).
    const scored: Scored[] = [];
    for (const a of patterns.values()) {
      const s = score(a, false);
      if (s) scored.push(s);
    }
    const order = (x: Scored, y: Scored) => y.utility - x.utility || (x.abstraction.fn.name < y.abstraction.fn.name ? -1 : 1);
    scored.sort(order);

    // 3. Lazy greedy: the best after a checked rewrite.
    let chosen: Scored | null = null;
    while (scored.length > 0) {
      const best = scored.shift() as Scored;
      const checked = score(best.abstraction, true);
      if (!checked) continue;
      if (scored.length === 0 || checked.utility >= scored[0].utility) {
        chosen = checked;
        break;
      }
      scored.push(checked);
      scored.sort(order);
    }
    if (!chosen) break;
    programs = [...chosen.rewritten];
    lookup = chosen.lookup;
    learned.push({
      fn: chosen.abstraction.fn,
      uses: chosen.uses,
      programs: chosen.using.map((i) => corpus[i].source),
      games: [...new Set(chosen.using.flatMap((i) => corpus[i].games))].sort(),
      compression: chosen.utility,
    });
  }

  const sizeAfter = programs.reduce((n, p) => n + programSize(p), 0) + learned.reduce((n, l) => n + functionSize(l.fn), 0);
  return {
    abstractions: learned,
    rewritten: corpus.map((c, i) => ({ ...c, program: programs[i] })),
    sizeBefore,
    sizeAfter,
    pairs,
    candidates: candidateCount,
  };
}
