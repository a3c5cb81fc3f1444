import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playMatch } from '../../src/arena/index.js';
import { createAgent, validateAgentSpec } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { Library, addProgram } from '../../src/transfer/index.js';
import {
  compileProgram, parseProgram, primitiveLookup, primitives, ProgramRuntimeError, setProgramLibraryReader, overrunAllowance, MIN_OVERRUN_MS,
  OVERRUN_FRACTION, type Primitive,
} from '../../src/programs/index.js';

const unlimited = () => ({ nodes: Infinity, simulations: Infinity, deadline: Infinity });

/** A proxy over the AST that counts every property read: what a tree-walking interpreter would do. */
function countingAst<T extends object>(node: T, counter: { reads: number }): T {
  return new Proxy(node, {
    get(target, key, receiver) {
      counter.reads++;
      const value = Reflect.get(target, key, receiver) as unknown;
      return value !== null && typeof value === 'object' ? countingAst(value as object, counter) : value;
    },
  });
}

describe('compiled programs', () => {
  const ttt = createGame('tictactoe');
  const greedyText = '(program policy (argmax (legal-moves pos) (lambda (m) (+ (if (win-now? pos m) 100 0) (neg (abs (- (move-col m) 1)))))))';

  it('are compiled once: running reads nothing of the AST', () => {
    const counter = { reads: 0 };
    const program = countingAst(parseProgram(greedyText), counter);
    const compiled = compileProgram(program, ttt, { cacheCapacity: 0 });
    expect(counter.reads).toBeGreaterThan(0);
    counter.reads = 0;
    const state = ttt.parseState('a1 b1 a2 b2');
    for (let i = 0; i < 100; i++) expect(ttt.actionToString(compiled.run(state, unlimited()) as number)).toBe('a3');
    expect(counter.reads).toBe(0);
    expect(compiled.stats.runs).toBe(100);
  });

  it('compute the same as the logic written by hand', () => {
    const compiled = compileProgram(parseProgram('(program value (squash (- (num-moves pos) (count (legal-moves pos) (lambda (m) (win-now? pos m))))))'), ttt);
    const state = ttt.newInitialState();
    const buf = new Int32Array(9);
    const child = ttt.newInitialState();
    for (const a of [4, 0, 8, 2, 6]) {
      const n = state.legalActions(buf);
      let wins = 0;
      for (let i = 0; i < n; i++) {
        child.copyFrom(state);
        child.apply(buf[i]);
        if (child.isTerminal() && child.returnOf(state.currentPlayer()) > 0) wins++;
      }
      expect(compiled.run(state, unlimited())).toBeCloseTo(Math.tanh(n - wins), 6);
      state.apply(a);
    }
  });

  it('answer pure primitives from the cache the second time', () => {
    const compiled = compileProgram(parseProgram(greedyText), ttt);
    const state = ttt.parseState('a1 b1 a2');
    compiled.run(state, unlimited());
    const cache = compiled.cache as NonNullable<typeof compiled.cache>;
    expect(cache.hits).toBe(0);
    expect(cache.misses).toBe(6);
    const calls = compiled.stats.primitiveCalls;
    compiled.run(state, unlimited());
    expect(cache.hits).toBe(6);
    expect(compiled.stats.primitiveCalls - calls).toBe(1 + 6); // legal-moves and move-col, not win-now?
  });

  it('stop a runaway program at its node budget with the reason', () => {
    // Four plies of full-width lookahead on 9x9 Gomoku: about 81^4 = 43 million positions.
    const gomoku = createGame('gomoku:size=9,k=5');
    const deep = parseProgram(`(program policy
      (argmax (legal-moves pos) (lambda (a) (count (legal-moves (after pos a)) (lambda (b)
        (any (legal-moves (after (after pos a) b)) (lambda (c) (win-now? (after (after pos a) b) c))))))))`);
    const compiled = compileProgram(deep, gomoku);
    const started = performance.now();
    expect(() => compiled.run(gomoku.newInitialState(), { nodes: 20_000, simulations: 0, deadline: Infinity }))
      .toThrow(/^program failed: budget: (after|win-now\?) at <program>:\d+:\d+ ran past the node budget \(20000 nodes\)$/);
    expect(performance.now() - started).toBeLessThan(20_000); // a guard against a hang, not a timing claim
  });

  it('fail when bounded steps run past the deadline by more than the allowed overrun', () => {
    const slow: Primitive = {
      name: 'slow', args: ['position'], result: 'number', pure: false, doc: 'busy for 2 ms',
      fn: () => {
        const end = performance.now() + 2;
        while (performance.now() < end);
        return 1;
      },
    };
    const compiled = compileProgram(parseProgram('(program policy (argmax (legal-moves pos) (lambda (m) (slow pos))))'), ttt, { primitives: primitiveLookup(primitives, [slow]) });
    // Nine calls of 2 ms against a 5 ms deadline: with no overrun allowed, out of time at a call of `slow`.
    expect(() => compiled.run(ttt.newInitialState(), { nodes: Infinity, simulations: Infinity, deadline: performance.now() + 5, grace: 0 }))
      // (On a loaded machine the deadline can pass before the first call: then legal-moves is the call that finds it.)
      .toThrow(/^program failed: budget: out of time at (slow \(<program>:1:55\)|legal-moves \(<program>:1:25\)): \d+ ms past the deadline, which was [0-5] ms after the call started \(allowed overrun: 0 ms\)$/);
    // The same program with a generous allowance finishes its move.
    const move = compiled.run(ttt.newInitialState(), { nodes: Infinity, simulations: Infinity, deadline: performance.now() + 5, grace: 60_000 });
    expect(move).toBe(0);
  });

  it('let anytime primitives spend the time and stop at the deadline with their best so far', () => {
    // Each of these would run far past 40 ms without the deadline (100,000 simulations, 64 plies,
    // a million rollouts); each stops at it, and the program returns a move or a value.
    const c4 = createGame('connect4');
    const state = c4.parseState('4455');
    const texts = [
      '(program policy (mcts-move pos 100000 (lambda (p) (rollouts p 1))))',
      '(program policy (alphabeta-move pos 64 (lambda (p) (clip (* 0.1 (num-moves p))))))',
      '(program value (rollouts pos 1000000))',
    ];
    for (const text of texts) {
      const compiled = compileProgram(parseProgram(text), c4);
      const limits = { nodes: 1e9, simulations: 1e9, deadline: performance.now() + 40, grace: 60_000 };
      const result = compiled.run(state, limits) as number;
      if (compiled.resultType === 'move') expect(state.isLegal(result)).toBe(true);
      else expect(Math.abs(result)).toBeLessThanOrEqual(1);
      // Some budget was spent (the search ran), not all of it (the deadline stopped it).
      const spent = 2e9 - compiled.budget.nodes - compiled.budget.simulations;
      expect(spent).toBeGreaterThan(0);
      expect(spent).toBeLessThan(1e9);
    }
    expect(overrunAllowance(40)).toBe(MIN_OVERRUN_MS);
    expect(overrunAllowance(4000)).toBe(4000 * OVERRUN_FRACTION);
  });

  it('turn a primitive\'s error into a run-time error naming the call', () => {
    // The same move twice: the outer `after` is given a move already played.
    const compiled = compileProgram(parseProgram('(program value (clip (let ((m (argmin (legal-moves pos) (lambda (x) 0)))) (num-moves (after (after pos m) m)))))'), ttt);
    expect(() => compiled.run(ttt.parseState('b2'), unlimited())).toThrow('program failed: after at <program>:1:86 failed: (after ...): a1 is not a legal move here');
    expect(() => compiled.run(ttt.parseState('b2'), unlimited())).toThrow(ProgramRuntimeError);
  });
});

describe('program agents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-programs-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('program:FILE plays through createAgent, and the spec takes budget options', async () => {
    const game = createGame('connect4');
    const agent = await createAgent('program:programs/greedy.arb,timeMs=1000', { game, seed: 's' });
    expect(agent.name).toBe('program:programs/greedy.arb,timeMs=1000');
    expect(game.actionToString(await agent.selectAction(game.newInitialState()))).toBe('4');
    // Three stones in column 1 for the opponent: the only move that does not lose at once is the block.
    expect(game.actionToString(await agent.selectAction(game.parseState('121314')))).toBe('1');
  });

  it('refuses bad specs and files with one clear line', async () => {
    const game = createGame('tictactoe');
    const make = (spec: string) => createAgent(spec, { game, seed: 's' });
    await expect(make('program:missing.arb')).rejects.toThrow('program file missing.arb not found; give a .arb file (see programs/ for examples) or lib:NAME');
    await expect(make('program')).rejects.toThrow('agent program: name the program, e.g. program:programs/greedy.arb or program:lib:NAME');
    await expect(make('program:programs/greedy.arb,depth=3')).rejects.toThrow('unknown agent option "depth" for program; allowed: file, timeMs, nodes, simulations');
    await expect(make('program:programs/greedy.arb,nodes=0')).rejects.toThrow('agent program: nodes=0 is out of range; allowed 1..1000000000');
    expect(() => validateAgentSpec('program:programs/greedy.arb,timeMs=-1')).toThrow('timeMs=-1 is out of range');
    await expect(make(`program:${write('bad.arb', '(program policy\n  (argmax (legal-moves pos) 3))')}`)).rejects.toThrow(/bad\.arb:2:29: \(argmax \.\.\.\) argument 2 expects \(-> move number\), found number/);
    await expect(make(`program:${write('bad.txt', '(program policy 1)')}`)).rejects.toThrow('expected a .arb file (or its .json form)');
  });

  it('program:lib:NAME reads through the library reader', async () => {
    const game = createGame('tictactoe');
    const previous = setProgramLibraryReader((name) => {
      if (name !== 'centre') throw new Error(`no ${name}`);
      return { text: '(program policy (argmin (legal-moves pos) (lambda (m) (+ (abs (- (move-row m) 1)) (abs (- (move-col m) 1))))))', source: 'lib:centre' };
    });
    try {
      const agent = await createAgent('program:lib:centre,nodes=100', { game, seed: 's' });
      expect(game.actionToString(await agent.selectAction(game.newInitialState()))).toBe('b2');
    } finally {
      setProgramLibraryReader(previous);
    }
  });

  it('program:lib:NAME reads a program entry of the real library (user library from $ARBOR_LIBRARY)', async () => {
    const game = createGame('connect4');
    const libraryDir = join(dir, 'library');
    const library = Library.open(libraryDir);
    const text = readFileSync('programs/greedy.arb', 'utf8');
    await addProgram(library, { name: 'greedy-program', text, type: 'policy', games: ['connect4'] });
    library.close();
    const previous = process.env.ARBOR_LIBRARY;
    process.env.ARBOR_LIBRARY = libraryDir;
    try {
      const agent = await createAgent('program:lib:greedy-program', { game, seed: 's' });
      expect(game.actionToString(await agent.selectAction(game.parseState('121314')))).toBe('1');
      await expect(createAgent('program:lib:greedy-progam', { game, seed: 's' })).rejects.toThrow('no library entry greedy-progam');
    } finally {
      if (previous === undefined) delete process.env.ARBOR_LIBRARY;
      else process.env.ARBOR_LIBRARY = previous;
    }
  });

  it('a program that overruns its budget loses its game, with the reason recorded', async () => {
    const path = write('deep.arb', `(program policy (argmax (legal-moves pos) (lambda (a)
      (count (legal-moves (after pos a)) (lambda (b) (any (legal-moves (after (after pos a) b)) (lambda (c) (win-now? (after (after pos a) b) c))))))))`);
    const result = await playMatch({ game: 'tictactoe', a: `program:${path},nodes=50`, b: 'random', games: 2, seed: 'budget' });
    expect(result.bWins).toBe(2);
    for (const g of result.games) expect(g.outcome.reason).toMatch(/^agent threw: program:.*deep\.arb,nodes=50: program failed: budget: .* ran past the node budget \(50 nodes\)$/);
  });

  it('with timeMs, a program searching with an anytime primitive returns a move: the search stops at the deadline', async () => {
    // 100,000 rollout simulations per move take seconds; timeMs=60 stops the search and the
    // program plays its most visited move (before time budgets were defined, it failed instead).
    const game = createGame('connect4');
    const search = write('search.arb', '(program policy (mcts-move pos 100000 (lambda (p) (rollouts p 1))))');
    const agent = await createAgent(`program:${search},timeMs=60`, { game, seed: 's' });
    for (const position of ['', '4455', '121314']) {
      const state = position === '' ? game.newInitialState() : game.parseState(position);
      expect(state.isLegal(await agent.selectAction(state))).toBe(true);
    }
    // A value program played one ply ahead with rollouts: every child's rollouts stop at the deadline.
    const rollouts = write('rollouts.arb', '(program value (rollouts pos 1000000))');
    const valueAgent = await createAgent(`program:${rollouts},timeMs=60`, { game, seed: 's' });
    expect(game.newInitialState().isLegal(await valueAgent.selectAction(game.newInitialState()))).toBe(true);
    // In an arena, against the same time per move: no game is forfeited.
    const result = await playMatch({ game: 'tictactoe', a: `program:${search},timeMs=20`, b: 'uct:timeMs=20', games: 2, seed: 'time' });
    expect(result.games.every((g) => g.outcome.reason === 'normal')).toBe(true);
  });

  it('a value program plays one ply ahead, and evaluates leaves for mcts:eval=program:FILE', async () => {
    const game = createGame('tictactoe');
    const valueAgent = await createAgent('program:programs/tactics-value.arb', { game, seed: 's' });
    // x threatens a1-a3 (a1 a2 played); o to move must block at a3: any other move lets x win at once.
    expect(game.actionToString(await valueAgent.selectAction(game.parseState('a1 b1 a2')))).toBe('a3');
    const search = await createAgent('mcts:eval=program:programs/tactics-value.arb,simulations=200', { game, seed: 's' });
    expect(game.actionToString(await search.selectAction(game.parseState('a1 b1 a2 b2')))).toBe('a3');
    await expect(createAgent('mcts:eval=program:programs/greedy.arb', { game, seed: 's' })).rejects.toThrow('is a policy program; a search evaluator needs a value program');
    await expect(createAgent('mcts:eval=prgram:x.arb', { game, seed: 's' })).rejects.toThrow('eval=prgram:x.arb: choose uniform, rollout or program:REF');
  });

  it.each([
    ['tictactoe', 0.75],
    ['connect4', 0.85],
  ])('the example greedy program beats random at %s (20 paired games)', async (game, margin) => {
    const result = await playMatch({ game, a: 'program:programs/greedy.arb', b: 'random', games: 20, seed: `greedy-${game}`, openingPlies: 2 });
    const score = (result.aWins + result.draws / 2) / 20;
    expect(score).toBeGreaterThanOrEqual(margin);
    expect(result.games.every((g) => g.outcome.reason === 'normal')).toBe(true);
  });

  it('plays legal moves with one text on gomoku too', async () => {
    const result = await playMatch({ game: 'gomoku:size=7,k=4', a: 'program:programs/greedy.arb', b: 'random', games: 4, seed: 'gomoku' });
    expect(result.games.every((g) => g.outcome.reason === 'normal')).toBe(true);
    expect(result.aWins).toBeGreaterThanOrEqual(3);
  });
});
