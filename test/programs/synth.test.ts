import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGameRunner, createLadder } from '../../src/arena/index.js';
import { createRng } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { addProgram, Libraries } from '../../src/transfer/index.js';
import {
  call, checkProgram, compileProgram, num, parseLibraryFunction, primitives, printExpr, printProgram, v,
} from '../../src/programs/index.js';
import {
  crossover, defaultGrammar, Enumerator, extend, loadLibraryFunctions, mutate, perturbConstants, Prober, samplePositions, synthesize, TOP_CONTEXT, valueProgram, withUsedDefines,
  type Grammar, type SynthResult,
} from '../../src/programs/synth/index.js';

const tictactoe = createGame('tictactoe');
const positions = samplePositions(tictactoe, 24, 'test-samples');

/** A toy grammar: the constants 1 and 2, `(num-moves pos)` and binary `+`. */
const TOY: Grammar = {
  constants: [1, 2],
  productions: [
    { op: '+', args: ['number', 'number'], result: 'number' },
    { op: 'num-moves', args: ['position'], result: 'number' },
  ],
  ifTypes: [],
  lambdaDepth: 1,
  defines: [],
};

function enumerate(grammar: Grammar, maxSize: number): Enumerator {
  const enumerator = new Enumerator(grammar, new Prober(tictactoe, positions, primitives, grammar.defines, 'test-probe'));
  enumerator.run({ maxSize, maxPrograms: 1_000_000 });
  return enumerator;
}

describe('bottom-up enumeration', () => {
  it('counts the programs of a toy grammar by size, dropping equivalent ones', () => {
    const e = enumerate(TOY, 5);
    // size 1: 1, 2, pos. size 2: (num-moves pos). size 3: (+ c c) for c in {1, 2}: four, all constant (folded).
    // size 4: (+ 1 n) (+ 2 n) (+ n 1) (+ n 2): the last two equal the first two on every sample.
    // size 5: (+ n n).
    expect(e.sizes.map((s) => s.enumerated)).toEqual([3, 1, 4, 4, 1]);
    expect(e.sizes.map((s) => s.kept)).toEqual([3, 1, 0, 2, 1]);
    const numbers = e.all(TOP_CONTEXT, 'number').map((b) => printExpr(b.expr));
    expect(numbers).toContain('(+ 1 (num-moves pos))');
    expect(numbers).not.toContain('(+ (num-moves pos) 1)');
    expect(numbers).not.toContain('(+ 1 1)');
  });

  it('forms only well-typed programs (the checker never refuses a probe) in every scope', () => {
    const grammar = defaultGrammar(primitives);
    const e = enumerate(grammar, 6);
    expect(e.enumerated).toBeGreaterThan(1000);
    expect(e.prober.typeErrors).toBe(0);
    const [top, inner] = e.contexts;
    for (const b of e.all(top, 'number')) checkProgram(valueProgram(b.expr, []));
    // Expressions of a lambda's scope use its parameter `m`; they type inside a lambda over moves.
    expect(inner.vars.map((x) => x.name)).toEqual(['pos', 'm']);
    for (const b of e.all(inner, 'boolean')) checkProgram({ yields: 'value', defines: [], body: call('squash', call('count', call('legal-moves', v('pos')), { kind: 'lambda', params: [{ name: 'm' }], body: b.expr })) });
  });
});

describe('variation operators', () => {
  const grammar = defaultGrammar(primitives);
  const e = enumerate(grammar, 6);
  const pool = e.all(TOP_CONTEXT, 'number').filter((b) => b.size >= 3).map((b) => valueProgram(b.expr, []));

  it('mutation, crossover, growth and constant steps give well-typed programs for every seed', () => {
    let made = 0;
    for (let seed = 0; seed < 150; seed++) {
      const rng = createRng(`variation-${seed}`);
      const a = pool[rng.int(pool.length)];
      const b = pool[rng.int(pool.length)];
      for (const child of [mutate(a, e, primitives, rng, 5, 40), crossover(a, b, primitives, rng, 40, grammar), extend(a, e, primitives, rng, 5, 40), perturbConstants(a, 0.5, rng, primitives, grammar)]) {
        if (!child) continue;
        made++;
        expect(() => checkProgram(child)).not.toThrow();
        expect(child.yields).toBe('value');
      }
    }
    expect(made).toBeGreaterThan(450);
  });

  it('a mutation keeps side arguments to (own) and (opp)', () => {
    const start = valueProgram(call('threats', v('pos'), call('own')), []);
    for (let seed = 0; seed < 40; seed++) {
      const child = mutate(start, e, primitives, createRng(`side-${seed}`), 5, 40);
      if (child && child.body.kind === 'call') {
        const text = printProgram(child);
        if (text.includes('threats')) expect(text).toMatch(/\(threats pos \((own|opp)\)\)/);
      }
    }
  });
});

describe('library functions', () => {
  it('a library function is a production of size one, and a program calling it carries its define', () => {
    const fn = parseLibraryFunction('lines-diff', '(-> position number number)', '(lambda ((p position) (n number)) (- (open-lines p (own) n) (open-lines p (opp) n)))');
    const grammar = defaultGrammar(primitives, [fn]);
    expect(grammar.productions.find((p) => p.op === 'lines-diff')).toEqual({ op: 'lines-diff', args: ['position', 'number'], result: 'number' });
    const program = withUsedDefines(valueProgram(call('lines-diff', v('pos'), num(2)), grammar.defines), grammar.defines);
    expect(program.defines.map((d) => d.name)).toEqual(['lines-diff']);
    const compiled = compileProgram(program, createGame('connect4'));
    expect(typeof compiled.run(createGame('connect4').newInitialState(), { nodes: 100, simulations: 0, deadline: Infinity })).toBe('number');
    // A program that does not call it does not carry it.
    expect(withUsedDefines(valueProgram(num(1), grammar.defines), grammar.defines).defines).toEqual([]);
  });
});

describe('library functions from the library', () => {
  it('loads program entries of function type (and only those) as library functions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-lib-'));
    try {
      const libraries = new Libraries({ user: dir });
      await addProgram(libraries.user, { name: 'abstractions/lines_diff', type: '(-> position number number)', text: '(lambda ((p position) (n number)) (- (open-lines p (own) n) (open-lines p (opp) n)))', games: ['connect4'] });
      await addProgram(libraries.user, { name: 'whole', type: 'value', text: '(program value (squash (num-moves pos)))', games: ['connect4'] });
      libraries.close();
      const loaded = loadLibraryFunctions({ user: dir });
      expect(loaded.skipped).toEqual([]);
      expect(loaded.functions.map((f) => f.name)).toEqual(['abstractions-lines-diff']);
      expect(defaultGrammar(primitives, loaded.functions).defines.map((d) => d.name)).toEqual(['abstractions-lines-diff']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fitness: the ladder with SPRT', () => {
  const runner = createGameRunner(0);
  afterAll(() => runner.close());

  it('stops a clearly weak candidate after few games', async () => {
    const ladder = createLadder({ game: createGame('connect4'), rungs: ['greedy', 'uct:simulations=50'], runner, sprt: { elo0: 0, elo1: 150, alpha: 0.1, beta: 0.1 }, maxGames: 100, openingPlies: 2 });
    const result = await ladder.evaluate('random', 'weak');
    expect(result.rungs).toHaveLength(1); // never meets the second rung
    expect(result.rungs[0].decision).toBe('H0');
    expect(result.rungs[0].passed).toBe(false);
    expect(result.games).toBeLessThan(20);
    expect(result.fitness).toBeLessThan(0.3);
  });

  it('the same seed gives the same synthesis', async () => {
    const run = async (): Promise<SynthResult> => {
      const dir = mkdtempSync(join(tmpdir(), 'synth-test-'));
      try {
        const ladder = createLadder({ game: tictactoe, rungs: ['random', 'greedy'], runner, sprt: { elo0: 0, elo1: 150, alpha: 0.1, beta: 0.1 }, maxGames: 10, openingPlies: 1 });
        return await synthesize({ game: tictactoe, seed: 'same', budget: { evaluations: 8 }, ladder, workDir: dir, maxSize: 5, finalGames: 4, keepBest: 2 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const strip = (r: SynthResult) => ({ ...r, stats: { ...r.stats, elapsedMs: 0 }, curve: r.curve.map((c) => ({ ...c, elapsedMs: 0 })) });
    const a = strip(await run());
    const b = strip(await run());
    expect(a.stats.evaluated).toBe(8);
    expect(a.stats.evaluatedFromEvolution).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});
