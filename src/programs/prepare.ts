import { ArborError, type Game } from '../core/index.js';
import { subexpressions, type Program } from './ast.js';
import { printRef } from './print.js';
import { primitiveFactories, type FactoryLookup } from './registry.js';
import type { Primitive, PreparedPrimitive } from './types.js';

/**
 * Binds a program's geometric primitives to their networks before it runs. A network loads
 * asynchronously and a primitive call is synchronous, so the loader (the `program:` agent,
 * `mcts:eval=program:`) finds every reference literal of the program — they are compile-time
 * constants, the checker allows them only as a factory's first argument — prepares each distinct
 * (primitive, reference) pair once with `factory.prepare(ref, game)`, and compiles every call
 * site against the prepared primitive. A reference is resolved as `model=` references are
 * elsewhere: `lib:NAME` from the library, any other text a checkpoint or run folder relative to
 * the current directory.
 */

/** One use of a reference: the factory's name and the reference text. */
export interface ProgramReference {
  readonly primitive: string;
  readonly ref: string;
}

/** The prepared primitives of one program on one game; `close` frees the networks they loaded. */
export interface PreparedReferences {
  readonly references: readonly ProgramReference[];
  /** The primitive prepared for `(name "ref" ...)`, or undefined when that pair was not prepared. */
  find(primitive: string, ref: string): Primitive | undefined;
  close(): void;
}

/** No references: what programs without geometric primitives compile against. */
export const NO_REFERENCES: PreparedReferences = { references: [], find: () => undefined, close: () => undefined };

const keyOf = (primitive: string, ref: string) => `${primitive}\n${ref}`;

/** The distinct (factory, reference) pairs of a program, in order of first appearance. */
export function programReferences(program: Program, factories: FactoryLookup = primitiveFactories): ProgramReference[] {
  const seen = new Map<string, ProgramReference>();
  for (const root of [...program.defines.map((d) => d.body), program.body]) {
    for (const { expr } of subexpressions(root)) {
      if (expr.kind !== 'call' || !factories.find(expr.op)) continue;
      const first = expr.args[0];
      if (first?.kind !== 'ref') continue; // the checker reports it
      const key = keyOf(expr.op, first.value);
      if (!seen.has(key)) seen.set(key, { primitive: expr.op, ref: first.value });
    }
  }
  return [...seen.values()];
}

/**
 * Prepares every reference of `program` for `game`, each distinct pair once. On a failure the
 * ones already prepared are closed and one ArborError names the program, the call and the cause.
 */
export async function prepareReferences(program: Program, game: Game, options: { readonly factories?: FactoryLookup; readonly source?: string } = {}): Promise<PreparedReferences> {
  const factories = options.factories ?? primitiveFactories;
  const references = programReferences(program, factories);
  if (references.length === 0) return NO_REFERENCES;
  const prepared = new Map<string, PreparedPrimitive>();
  const closeAll = () => {
    for (const p of prepared.values()) p.close();
    prepared.clear();
  };
  for (const { primitive, ref } of references) {
    const factory = factories.find(primitive);
    if (!factory) continue;
    try {
      prepared.set(keyOf(primitive, ref), await factory.prepare(ref, game));
    } catch (e) {
      closeAll();
      const message = e instanceof Error ? e.message : String(e);
      throw new ArborError(`${options.source ?? '<program>'}: (${primitive} ${printRef(ref)} ...) on ${game.spec}: ${message}`);
    }
  }
  return {
    references,
    find: (primitive, ref) => prepared.get(keyOf(primitive, ref))?.primitive,
    close: closeAll,
  };
}
