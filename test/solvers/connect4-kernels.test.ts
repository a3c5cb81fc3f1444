import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelsFile } from '../../scripts/gen-connect4-kernel.js';

describe('generated Connect Four kernels', () => {
  it('kernels.generated.ts is byte for byte what the generator writes', () => {
    const onDisk = readFileSync(new URL('../../src/solvers/connect4/kernels.generated.ts', import.meta.url), 'utf8');
    const generated = kernelsFile();
    // The four kernels, each once.
    for (const name of ['negamax', 'negamax6', 'negamaxBook', 'negamax6Book']) {
      expect(generated.split(`\n  protected ${name}(`)).toHaveLength(2);
    }
    expect(onDisk === generated, 'src/solvers/connect4/kernels.generated.ts differs from scripts/gen-connect4-kernel.ts: run the generator').toBe(true);
  });
});
