import { ArborError, Registry } from '../core/index.js';
import { BUILTINS } from './builtins.js';
import type { Primitive, PrimitiveFactory } from './types.js';

/**
 * Every primitive the language knows, by name, registered by the files of
 * src/programs/primitives (importing src/programs registers them all). Programs are checked and
 * compiled against a lookup (this registry by default; tests and the synthesizer may pass their
 * own), so a library function is a primitive like any other.
 */
export const primitives = new Registry<Primitive>('program primitive');

/**
 * The primitives bound to a reference written in the program text (`(net-value "lib:c4-family"
 * pos)`), by name: the checker types their calls from the factory's signature, the loader
 * prepares each reference (prepare.ts).
 */
export const primitiveFactories = new Registry<PrimitiveFactory>('program primitive factory');

/** The view of a set of factories the checker and the loader need. */
export interface FactoryLookup {
  find(name: string): PrimitiveFactory | undefined;
  names(): string[];
}

/** Registers factories; a name of a control built-in or of a primitive is refused (a call must mean one thing). */
export function registerPrimitiveFactories(list: readonly PrimitiveFactory[], into: Registry<PrimitiveFactory> = primitiveFactories): void {
  for (const f of list) {
    if (f.name in BUILTINS) throw new ArborError(`primitive "${f.name}" has the name of a control built-in; choose another name`);
    if (primitives.has(f.name)) throw new ArborError(`primitive "${f.name}" is registered both as a primitive and as a factory; choose another name`);
    into.register(f.name, f);
  }
}

/** The view of a set of primitives the checker and compiler need. */
export interface PrimitiveLookup {
  find(name: string): Primitive | undefined;
  names(): string[];
}

/** Registers primitives; a name already used by a control built-in (`+`, `argmax`, ...) is refused. */
export function registerPrimitives(list: readonly Primitive[], into: Registry<Primitive> = primitives): void {
  for (const p of list) {
    if (p.name in BUILTINS) throw new ArborError(`primitive "${p.name}" has the name of a control built-in; choose another name`);
    if (primitiveFactories.has(p.name)) throw new ArborError(`primitive "${p.name}" is registered both as a primitive and as a factory; choose another name`);
    into.register(p.name, p);
  }
}

/** A lookup over several tables, first match wins (e.g. the registry plus a test's own primitives). */
export function primitiveLookup(...tables: readonly (PrimitiveLookup | readonly Primitive[])[]): PrimitiveLookup {
  const lookups = tables.map((t): PrimitiveLookup => {
    if (!Array.isArray(t)) return t as PrimitiveLookup;
    const map = new Map((t as readonly Primitive[]).map((p) => [p.name, p]));
    return { find: (n) => map.get(n), names: () => [...map.keys()] };
  });
  return {
    find: (name) => {
      for (const l of lookups) {
        const p = l.find(name);
        if (p) return p;
      }
      return undefined;
    },
    names: () => [...new Set(lookups.flatMap((l) => l.names()))],
  };
}
