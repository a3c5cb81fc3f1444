import type { Rng } from '../../core/index.js';
import { call, exprSize, ifExpr, isFunctionType, lambda, num, typeToString, v, type Expr } from '../ast.js';
import type { BaseType, FunctionType, ProgramType } from '../types.js';
import { lambdaContext, lambdaParamNames, TOP_CONTEXT, type SynthContext } from './context.js';
import type { Grammar, Production } from './grammar.js';
import { Prober, type Signature } from './probe.js';

/**
 * Bottom-up enumeration by program size (number of AST nodes) with type-directed pruning and
 * observational equivalence (Udupa et al., TRANSIT, PLDI 2013; Albarghouthi et al., ESCHER,
 * CAV 2013): every expression of size s is formed from kept expressions of smaller sizes whose
 * types fit the argument slots, run on the sample environments of its scope, and kept only when
 * its outputs differ from every expression of its type and scope kept before. So `(+ b a)` is
 * dropped once `(+ a b)` is kept, and `(+ 1 1)` once `2` is; expressions that fail on a sample
 * (an empty move set, a budget run out) are dropped too.
 */

export interface EnumerationLimits {
  /** Largest size enumerated. */
  readonly maxSize: number;
  /** Stop after forming this many expressions (kept or not). */
  readonly maxPrograms: number;
  /** performance.now() deadline, or Infinity. */
  readonly deadline?: number;
}

export interface SizeStats {
  readonly size: number;
  /** Well-typed expressions formed. */
  enumerated: number;
  /** Kept after observational equivalence (and not failing). */
  kept: number;
}

export interface BankEntry {
  readonly expr: Expr;
  readonly size: number;
  readonly signature: Signature;
}

const IF_OP = '<if>';

export class Enumerator {
  /** Every scope expressions are built in: the body's, then the lambdas' (up to the grammar's depth). */
  readonly contexts: SynthContext[] = [];
  readonly sizes: SizeStats[] = [];
  enumerated = 0;
  kept = 0;
  /** The next size to enumerate. */
  nextSize = 1;
  /** Set when a limit (count or time) stopped enumeration inside a size. */
  stopped = false;
  /** bank[context key][type text][size] */
  private readonly banks = new Map<string, Map<string, BankEntry[][]>>();
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    readonly grammar: Grammar,
    readonly prober: Prober,
  ) {
    const add = (ctx: SynthContext): void => {
      if (this.contexts.some((c) => c.key === ctx.key)) return;
      this.contexts.push(ctx);
      this.banks.set(ctx.key, new Map());
      if (ctx.depth >= grammar.lambdaDepth) return;
      for (const p of grammar.productions) {
        for (const a of p.args) {
          if (!isFunctionType(a)) continue;
          const inner = lambdaContext(ctx, a);
          if (inner && inner.vars.every((x) => x.name === 'pos' || Prober.canSample(x.type))) add(inner);
        }
      }
    };
    add(TOP_CONTEXT);
  }

  /** Kept expressions of scope `ctx`, type `type` (exactly) and size `size`. */
  entries(ctx: SynthContext, type: ProgramType, size: number): readonly BankEntry[] {
    return this.banks.get(ctx.key)?.get(typeToString(type))?.[size] ?? [];
  }

  /** Every kept expression of a scope and type, smallest first. */
  all(ctx: SynthContext, type: ProgramType): BankEntry[] {
    const bySize = this.banks.get(ctx.key)?.get(typeToString(type)) ?? [];
    return bySize.flatMap((list) => list ?? []);
  }

  hasContext(key: string): SynthContext | undefined {
    return this.contexts.find((c) => c.key === key);
  }

  /**
   * Enumerates sizes until `limits` stop it. Returns whether it finished every size up to
   * `maxSize` (false: a count or time limit cut it short).
   */
  run(limits: EnumerationLimits): boolean {
    while (this.nextSize <= limits.maxSize && !this.stopped) {
      this.enumerateSize(this.nextSize, limits);
      if (!this.stopped) this.nextSize++;
    }
    return !this.stopped;
  }

  private enumerateSize(size: number, limits: EnumerationLimits): void {
    const stats: SizeStats = this.sizes[size - 1] ?? { size, enumerated: 0, kept: 0 };
    this.sizes[size - 1] = stats;
    const deadline = limits.deadline ?? Infinity;
    const offer = (ctx: SynthContext, expr: Expr, type: ProgramType): boolean => {
      if (this.enumerated >= limits.maxPrograms || (deadline !== Infinity && (this.enumerated & 63) === 0 && performance.now() > deadline)) {
        this.stopped = true;
        return false;
      }
      this.enumerated++;
      stats.enumerated++;
      if (isFunctionType(type)) return true;
      const signature = this.prober.signature(expr, ctx, type as BaseType);
      // A compound expression that is constant on the sample stands for a literal (constant folding):
      // constants come from the grammar's set and the evolution strategy, not from arithmetic on them.
      if (signature === null || (size > 1 && signature.constant && (type === 'number' || type === 'value' || type === 'boolean'))) return true;
      const seenKey = `${ctx.key}#${typeToString(type)}`;
      let seen = this.seen.get(seenKey);
      if (!seen) this.seen.set(seenKey, (seen = new Set()));
      if (seen.has(signature.text)) return true;
      seen.add(signature.text);
      const bank = this.banks.get(ctx.key) as Map<string, BankEntry[][]>;
      let bySize = bank.get(typeToString(type));
      if (!bySize) bank.set(typeToString(type), (bySize = []));
      (bySize[size] ??= []).push({ expr, size, signature });
      this.kept++;
      stats.kept++;
      return true;
    };
    for (const ctx of this.contexts) {
      if (size === 1) {
        for (const c of this.grammar.constants) if (!offer(ctx, num(c), 'number')) return;
        for (const x of ctx.vars) if (!offer(ctx, v(x.name), x.type)) return;
        for (const p of this.grammar.productions) if (p.args.length === 0 && !offer(ctx, call(p.op), p.result)) return;
        continue;
      }
      const productions: Production[] = [...this.grammar.productions.filter((p) => p.args.length > 0 && !isFunctionType(p.result))];
      for (const t of this.grammar.ifTypes) productions.push({ op: IF_OP, args: ['boolean', t, t], result: t });
      for (const p of productions) {
        for (const args of this.argumentLists(ctx, p.args, size - 1, p.choices ?? [])) {
          const expr = p.op === IF_OP ? ifExpr(args[0], args[1], args[2]) : call(p.op, ...args);
          if (!offer(ctx, expr, p.result)) return;
        }
      }
    }
  }

  /** Expressions of exactly `size` that fit a slot of type `expected` in `ctx`. */
  candidates(ctx: SynthContext, expected: ProgramType, size: number): Expr[] {
    if (isFunctionType(expected)) {
      const inner = lambdaContext(ctx, expected);
      if (!inner || !this.hasContext(inner.key) || size < 2) return [];
      const params = lambdaParamNames(ctx, expected).map((name) => ({ name }));
      return this.candidates(inner, expected.result, size - 1).map((body) => lambda(params, body));
    }
    const out = this.entries(ctx, expected, size).map((e) => e.expr);
    if (expected === 'number') for (const e of this.entries(ctx, 'value', size)) out.push(e.expr);
    return out;
  }

  /** Every argument list for `types` whose sizes add up to `total`, in order of the sizes. */
  private *argumentLists(ctx: SynthContext, types: readonly ProgramType[], total: number, choices: readonly (readonly Expr[] | undefined)[]): Generator<Expr[]> {
    if (types.length === 0) {
      if (total === 0) yield [];
      return;
    }
    const [first, ...rest] = types;
    const [allowed, ...restChoices] = choices;
    const restMin = rest.length;
    for (let s = 1; s <= total - restMin; s++) {
      if (rest.length === 0 && s !== total) continue;
      const heads = allowed ? allowed.filter((e) => exprSize(e) === s) : this.candidates(ctx, first, s);
      if (heads.length === 0) continue;
      for (const tail of this.argumentLists(ctx, rest, total - s, restChoices)) {
        for (const h of heads) yield [h, ...tail];
      }
    }
  }

  /** A random kept expression that fits a slot of `type` in `ctx`, of size at most `maxSize` (null if there is none). */
  randomExpression(ctx: SynthContext, type: ProgramType, maxSize: number, rng: Rng): Expr | null {
    const sizes: number[] = [];
    for (let s = 1; s <= maxSize; s++) if (this.countCandidates(ctx, type, s) > 0) sizes.push(s);
    if (sizes.length === 0) return null;
    const size = sizes[rng.int(sizes.length)];
    if (isFunctionType(type)) {
      const list = this.candidates(ctx, type, size);
      return list[rng.int(list.length)];
    }
    const own = this.entries(ctx, type, size);
    const values = type === 'number' ? this.entries(ctx, 'value', size) : [];
    const k = rng.int(own.length + values.length);
    return k < own.length ? own[k].expr : values[k - own.length].expr;
  }

  private countCandidates(ctx: SynthContext, type: ProgramType, size: number): number {
    if (isFunctionType(type)) {
      const inner = lambdaContext(ctx, type as FunctionType);
      return inner && this.hasContext(inner.key) && size >= 2 ? this.countCandidates(inner, type.result, size - 1) : 0;
    }
    return this.entries(ctx, type, size).length + (type === 'number' ? this.entries(ctx, 'value', size).length : 0);
  }
}
