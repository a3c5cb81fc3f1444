import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, createRng, type Game, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import {
  addAbstractions, antiUnify, compileProgram, compressCorpus, libraryFunctionPrimitives, loadLibraryFunctions, parseExpr, parseLibraryFunction,
  parseProgram, primitiveLookup, primitives, printExpr, printProgram, typedSubexpressions, type Call, type CorpusProgram, type Expr, type ProgramType,
} from '../../src/programs/index.js';
import { Library, addProgram } from '../../src/transfer/index.js';

/**
 * Library learning (docs/programs-abstraction.md): anti-unification with typed holes, the
 * compression utility on a corpus counted by hand, the uses/games filters, rewriting that keeps
 * every program's behaviour, and library functions that type, compile, round-trip and play.
 */

const unlimited = () => ({ nodes: Infinity, simulations: Infinity, deadline: Infinity });

/** The bodies of the programs `texts`, and the checker's type of each of their subtrees. */
function typedBodies(...texts: string[]): { bodies: Expr[]; typeOf: (e: Expr) => ProgramType | undefined } {
  const types = new Map<Expr, ProgramType>();
  const bodies = texts.map((text) => {
    const p = parseProgram(text);
    for (const { expr, type } of typedSubexpressions(p)) types.set(expr, type);
    return p.body;
  });
  return { bodies, typeOf: (e) => types.get(e) };
}

/** The first argument of a call. */
const arg0 = (e: Expr): Expr => (e as Call).args[0];

describe('anti-unification', () => {
  const au = (x: string, y: string, pick: (e: Expr) => Expr = arg0) => {
    const { bodies: [a, b], typeOf } = typedBodies(x, y);
    return antiUnify(pick(a), pick(b), { typeOf, lookup: primitives });
  };

  it('generalises two subtrees into a pattern whose holes carry the checker\'s types', () => {
    const r = au('(program value (clip (- (open-lines pos (own) 2) (open-lines pos (opp) 2))))', '(program value (clip (- (open-lines pos (own) 3) (open-lines pos (opp) 3))))');
    // `pos` is free, so it becomes a hole; the same pair (2, 3) twice is one hole.
    expect(printExpr(r!.pattern)).toBe('(- (open-lines ?0 (own) ?1) (open-lines ?0 (opp) ?1))');
    expect(r!.holeTypes).toEqual(['position', 'number']);
  });

  it('types a hole number where a value meets a number, and refuses holes of unlike types', () => {
    const r = au('(program value (clip (+ (solve pos) 1)))', '(program value (clip (+ (num-moves pos) 1)))');
    expect(printExpr(r!.pattern)).toBe('(+ ?0 1)');
    expect(r!.holeTypes).toEqual(['number']);
    expect(au('(program value (clip (if (terminal? pos) 1 0)))', '(program value (clip (if (terminal? pos) 1 0)))', (e) => e)).not.toBeNull();
    // (= a b) over moves against (= a b) over numbers: the holes' types disagree.
    const moves = '(= (argmax (legal-moves pos) (lambda (m) 0)) (argmin (legal-moves pos) (lambda (m) 0)))';
    expect(au(`(program value (clip (if ${moves} 1 0)))`, '(program value (clip (if (= 2 1) 1 0)))', (e) => (arg0(e) as { test: Expr }).test)).toBeNull();
  });

  it('refuses a hole that would capture a lambda\'s variable, or hoist a search out of a branch', () => {
    expect(au('(program value (clip (count (legal-moves pos) (lambda (m) (win-now? pos m)))))', '(program value (clip (count (legal-moves pos) (lambda (m) (loses-now? pos m)))))', (e) => e)).toBeNull();
    expect(au('(program value (clip (if (terminal? pos) 0 (num-moves pos))))', '(program value (clip (if (terminal? pos) 0 (rollouts pos 4))))', (e) => e)).toBeNull();
    // A literal in a branch is safe to pass as an argument.
    const r = au('(program value (clip (if (terminal? pos) 0 (num-moves pos))))', '(program value (clip (if (terminal? pos) 5 (num-moves pos))))', (e) => e);
    expect(printExpr(r!.pattern)).toBe('(clip (if (terminal? ?0) ?1 (num-moves ?0)))');
    expect(r!.holeTypes).toEqual(['position', 'number']);
  });
});

// Sizes in AST nodes. P1 and P2: clip, -, 2 x (open-lines, pos, side, k) = 10 each. P3: argmax,
// (legal-moves pos) 2, lambda, -, 2 x (open-lines, (after pos m) 3, side, k) = 17. Total 37.
const P1 = '(program value (clip (- (open-lines pos (own) 2) (open-lines pos (opp) 2))))';
const P2 = '(program value (clip (- (open-lines pos (own) 3) (open-lines pos (opp) 3))))';
const P3 = '(program policy (argmax (legal-moves pos) (lambda (m) (- (open-lines (after pos m) (own) 2) (open-lines (after pos m) (opp) 2)))))';

function corpusOf(games: string[], texts = [P1, P2, P3]): CorpusProgram[] {
  return texts.map((t, i) => ({ source: `p${i + 1}.arb`, games: [games[i]], program: parseProgram(t) }));
}

describe('compression', () => {
  it('picks the abstraction that shrinks the corpus most, counted by hand', () => {
    const result = compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe']), { top: 3 });
    expect(result.sizeBefore).toBe(37);
    // A = (- (open-lines p (own) x) (open-lines p (opp) x)), body 9 nodes. Uses: P1 and P2 save
    // 9 - 3 each, P3 saves 13 - 5 (its argument (after pos m) is 3 nodes): 20 - 9 = 11. The
    // rival (clip A-body), body 10, saves 7 in P1 and P2 only: 14 - 10 = 4. A second round finds
    // nothing that pays: (clip (A ?0 ?1)) saves 1 node twice for a body of 4.
    expect(result.abstractions).toHaveLength(1);
    const [a] = result.abstractions;
    expect(printExpr(a.fn.body)).toBe('(lambda ((p position) (x number)) (- (open-lines p (own) x) (open-lines p (opp) x)))');
    expect(a.fn.type).toEqual({ args: ['position', 'number'], result: 'number' });
    expect(a.compression).toBe(11);
    expect(a.uses).toBe(3);
    expect(a.programs).toEqual(['p1.arb', 'p2.arb', 'p3.arb']);
    expect(a.games).toEqual(['connect4', 'gomoku', 'tictactoe']);
    expect(result.sizeAfter).toBe(26);
    expect(printProgram(result.rewritten[2].program)).toBe(`(program policy (argmax (legal-moves pos) (lambda (m) (${a.fn.name} (after pos m) 2))))\n`);
  });

  it('without P3 the whole body is the better abstraction', () => {
    const result = compressCorpus(corpusOf(['connect4', 'gomoku'], [P1, P2]), { top: 3 });
    expect(result.abstractions.map((a) => [printExpr(a.fn.body.body), a.compression])).toEqual([['(clip (- (open-lines p (own) x) (open-lines p (opp) x)))', 4]]);
    expect(result.sizeAfter).toBe(3 + 3 + 10);
  });

  it('keeps only abstractions used by min-uses programs of min-games games', () => {
    expect(compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe']), { minUses: 4 }).abstractions).toHaveLength(0);
    expect(compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe']), { minGames: 3 }).abstractions).toHaveLength(1);
    expect(compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe']), { minGames: 4 }).abstractions).toHaveLength(0);
    // All three of one game: refused at the default of 2 games, kept with 1.
    expect(compressCorpus(corpusOf(['connect4', 'connect4', 'connect4'])).abstractions).toHaveLength(0);
    expect(compressCorpus(corpusOf(['connect4', 'connect4', 'connect4']), { minGames: 1 }).abstractions).toHaveLength(1);
    // Used by two programs only (P1, P3) when P2 does not share it.
    const other = '(program value (clip (num-moves pos)))';
    expect(compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe'], [P1, other, P3]), { minUses: 3 }).abstractions).toHaveLength(0);
    expect(compressCorpus(corpusOf(['connect4', 'gomoku', 'tictactoe'], [P1, other, P3]), { minUses: 2 }).abstractions).toHaveLength(1);
  });
});

/** Positions of random play, seeded: `count` of them, none finished. */
function samplePositions(game: Game, count: number, seed: string): State[] {
  const rng = createRng(seed);
  const out: State[] = [];
  const actions = new Int32Array(game.numActions);
  while (out.length < count) {
    const s = game.newInitialState();
    const plies = rng.int(12);
    for (let i = 0; i < plies && !s.isTerminal(); i++) s.apply(actions[rng.int(s.legalActions(actions))]);
    if (!s.isTerminal()) out.push(s);
  }
  return out;
}

const FIXTURES = new URL('../../programs/abstraction/', import.meta.url).pathname;

describe('rewriting', () => {
  it('keeps every program\'s outputs on sampled positions of its game', async () => {
    const { readCorpus } = await import('../../src/programs/index.js');
    const corpus = [
      ...(await readCorpus([join(FIXTURES, 'connect4.arb'), join(FIXTURES, 'gomoku.arb'), join(FIXTURES, 'tictactoe.arb')])),
      ...corpusOf(['connect4', 'gomoku', 'tictactoe']),
    ];
    const result = compressCorpus(corpus, { top: 3 });
    expect(result.abstractions.length).toBeGreaterThanOrEqual(1);
    const lookup = primitiveLookup(primitives, libraryFunctionPrimitives(result.abstractions.map((a) => a.fn)));
    let compared = 0;
    corpus.forEach((original, i) => {
      const rewritten = result.rewritten[i].program;
      const game = createGame(original.games[0]);
      const before = compileProgram(original.program, game);
      const after = compileProgram(rewritten, game, { primitives: lookup });
      for (const state of samplePositions(game, 25, `abstraction-${i}`)) {
        expect(after.run(state, unlimited()), `${original.source} at ${state.toMoveString()}`).toBe(before.run(state, unlimited()));
        compared++;
      }
    });
    expect(compared).toBe(150);
    // Every program of the corpus calls a learned function after rewriting.
    const names = result.abstractions.map((a) => a.fn.name);
    expect(result.rewritten.every((p) => names.some((n) => printProgram(p.program).includes(`(${n} `)))).toBe(true);
    expect(result.sizeAfter).toBeLessThan(result.sizeBefore);
  });
});

describe('the corpus', () => {
  it('reads .arb files, synthesis results and the JSON form, each program with its game', async () => {
    const { readCorpus, toJson } = await import('../../src/programs/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'arbor-corpus-'));
    const synth = join(dir, 'synth.json');
    writeFileSync(synth, JSON.stringify({ game: 'gomoku', programs: [{ text: P1 }, { text: P2, game: 'connect4', fitness: 0.9 }] }));
    const single = join(dir, 'one.json');
    writeFileSync(single, JSON.stringify(toJson(parseProgram(P3))));
    const corpus = await readCorpus([synth, `${single}@tictactoe`, join(FIXTURES, 'connect4.arb'), `${join(FIXTURES, 'gomoku.arb')}@gomoku:size=7`]);
    expect(corpus.map((c) => [c.source.replace(dir, 'D').replace(FIXTURES, 'F/'), c.games])).toEqual([
      ['D/synth.json#0', ['gomoku']], ['D/synth.json#1', ['connect4']], ['D/one.json', ['tictactoe']], ['F/connect4.arb', ['connect4']], ['F/gomoku.arb', ['gomoku:size=7']],
    ]);
    expect(corpus[2].program).toEqual(parseProgram(P3));
    await expect(readCorpus([single])).rejects.toThrow(`${single} is one program in JSON form, which names no game; write ${single}@GAME`);
    writeFileSync(synth, JSON.stringify({ programs: [{ text: P1 }] }));
    await expect(readCorpus([synth])).rejects.toThrow(`${synth}#0 names no game; add "game" to the program or the file, or write ${synth}@GAME`);
    writeFileSync(synth, JSON.stringify({ programs: [{ game: 'connect4' }] }));
    await expect(readCorpus([synth])).rejects.toThrow(`${synth}: not a synthesis result at programs.0.text`);
  });
});

describe('library functions', () => {
  const text = '(lambda ((p position) (x number)) (- (open-lines p (own) x) (open-lines p (opp) x)))';

  it('parse from an entry\'s name, type and text, and refuse what does not fit', () => {
    const fn = parseLibraryFunction('line-balance', '(-> position number number)', text);
    expect(fn.type).toEqual({ args: ['position', 'number'], result: 'number' });
    expect(fn.body.kind).toBe('lambda');
    expect(() => parseLibraryFunction('line-balance', 'number', text)).toThrow('lib:line-balance: type number is not a function type');
    expect(() => parseLibraryFunction('line-balance', '(-> position value number)', text)).toThrow('disagree with the type');
    expect(() => parseLibraryFunction('Bad_Name', '(-> position number number)', text)).toThrow('cannot name a library function');
    expect(() => parseLibraryFunction('argmax', '(-> position number number)', text)).toThrow('is a control built-in');
    expect(() => libraryFunctionPrimitives([parseLibraryFunction('f', '(-> position number value)', text)])).toThrow('the body\'s type is number, the declared type says value');
    const returnsMoves = parseLibraryFunction('g', '(-> position moves)', '(lambda ((p position)) (legal-moves p))');
    expect(() => libraryFunctionPrimitives([returnsMoves])).toThrow('returns moves');
  });

  it('are called like primitives: typed, compiled once, spending the caller\'s budget, results as written by hand', () => {
    const balance = parseLibraryFunction('line-balance', '(-> position number number)', text);
    const sampled = parseLibraryFunction('sampled', '(-> position number value)', '(lambda ((p position) (n number)) (rollouts p n))');
    const lookup = primitiveLookup(primitives, libraryFunctionPrimitives([balance, sampled]));
    const game = createGame('connect4');
    const program = parseProgram('(program value (squash (+ (line-balance pos 2) (sampled pos 5))))', 'use.arb');
    expect(printProgram(parseProgram(printProgram(program)))).toBe(printProgram(program));
    expect(parseProgram(printProgram(program))).toEqual(program);
    const compiled = compileProgram(program, game, { primitives: lookup, cacheCapacity: 0 });
    const plain = compileProgram(parseProgram('(program value (clip (- (open-lines pos (own) 2) (open-lines pos (opp) 2))))'), game);
    const state = game.parseState('4 3 4');
    const budget = { nodes: 1_000_000, simulations: 100, deadline: Infinity };
    const value = compiled.run(state, budget) as number;
    expect(compiled.budget.simulations).toBe(95);
    expect(Math.abs(value)).toBeLessThanOrEqual(1);
    expect(typeof plain.run(state, unlimited())).toBe('number');
    const noRollouts = compileProgram(parseProgram('(program value (clip (line-balance pos 2)))'), game, { primitives: lookup });
    for (const s of samplePositions(game, 10, 'lib-fn')) expect(noRollouts.run(s, unlimited())).toBe(plain.run(s, unlimited()));
    // Rollouts inside the function stop where the caller's budget ends.
    compiled.run(state, { nodes: 1_000_000, simulations: 3, deadline: Infinity });
    expect(compiled.budget.simulations).toBe(0);
    expect(() => compileProgram(parseProgram('(program value (clip (line-balance pos)))', 'x.arb'), game, { primitives: lookup, source: 'x.arb' }))
      .toThrow('x.arb:1:22: (line-balance ...) expects 2 argument(s) (position number), found 1');
  });

  it('are stored by library abstract and resolved at load time: program:FILE plays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-abstraction-'));
    const libDir = join(dir, 'lib');
    const corpus = corpusOf(['connect4', 'gomoku', 'tictactoe']);
    const result = compressCorpus(corpus);
    const library = Library.open(libDir);
    try {
      const added = await addAbstractions(library, result, corpus);
      expect(added.map((e) => [e.name, e.kind, e.games, e.meta.type, e.measured])).toEqual([[result.abstractions[0].fn.name, 'program', ['connect4', 'gomoku', 'tictactoe'], '(-> position number number)',
        { uses: 3, programs: 3, compression: 11, corpusBefore: 37, corpusAfter: 26 }]]);
      const loaded = await loadLibraryFunctions(library);
      expect(loaded).toEqual([result.abstractions[0].fn]);
      // Programs that call a library function (as programs synthesized with the library do) are a corpus too.
      const { corpusPrimitives, readCorpus } = await import('../../src/programs/index.js');
      expect(() => compressCorpus(result.rewritten)).toThrow(`unknown function ${result.abstractions[0].fn.name}`);
      const again = compressCorpus(result.rewritten, { primitives: await corpusPrimitives(result.rewritten, { user: libDir }), minGames: 1 });
      expect(again.sizeBefore).toBe(result.sizeAfter - 9);
      // A rewritten program kept in the library plays as program:lib:NAME, its function resolved the same way.
      await addProgram(library, { name: 'p3-rewritten', text: printProgram(result.rewritten[2].program), type: 'policy', games: ['tictactoe'], parents: [result.abstractions[0].fn.name] });
      const fromLibrary = await readCorpus(['lib:p3-rewritten'], { user: libDir });
      expect(fromLibrary.map((c) => [c.source, c.games, c.entry])).toEqual([['lib:p3-rewritten', ['tictactoe'], 'p3-rewritten']]);
    } finally {
      library.close();
    }
    const file = join(dir, 'p3.arb');
    writeFileSync(file, printProgram(result.rewritten[2].program));
    const saved = process.env.ARBOR_LIBRARY;
    process.env.ARBOR_LIBRARY = libDir;
    try {
      const game = createGame('tictactoe');
      const original = compileProgram(parseProgram(P3), game);
      for (const spec of [`program:${file}`, 'program:lib:p3-rewritten']) {
        const agent = await createAgent(spec, { game, seed: 'plays' });
        for (const state of samplePositions(game, 10, 'plays')) {
          const move = await agent.selectAction(state);
          expect(state.isLegal(move)).toBe(true);
          expect(move, spec).toBe(original.run(state, unlimited()));
        }
      }
      // Without the library that holds it, the call is an unknown function, named with its position.
      process.env.ARBOR_LIBRARY = join(dir, 'empty');
      await expect(createAgent(`program:${file}`, { game, seed: 'plays' })).rejects.toThrow(
        new RegExp(`p3\\.arb:1:\\d+: unknown function ${result.abstractions[0].fn.name}; .*library functions come from your library \\(\\$ARBOR_LIBRARY, see arbor library list\\)$`));
    } finally {
      if (saved === undefined) delete process.env.ARBOR_LIBRARY;
      else process.env.ARBOR_LIBRARY = saved;
    }
    const expr = parseExpr(`(${result.abstractions[0].fn.name} pos 2)`);
    expect(printExpr(expr)).toBe(`(${result.abstractions[0].fn.name} pos 2)`);
  });
});
