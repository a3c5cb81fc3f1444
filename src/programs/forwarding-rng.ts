import type { Rng } from '../core/index.js';

/**
 * An Rng that draws from whatever stream `current()` returns at the time of the draw. Compiled
 * primitives keep the Rng they were compiled with; handing them this one lets an agent reseed,
 * or a library function draw from its caller's stream, without compiling again.
 */
export function forwardingRng(current: () => Rng): Rng {
  return {
    get seed() {
      return current().seed;
    },
    next: () => current().next(),
    int: (n) => current().int(n),
    normal: () => current().normal(),
    gamma: (shape) => current().gamma(shape),
    saveState: () => current().saveState(),
  };
}
