import { createRng, type State } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import { compileProgram, parseProgram } from '../src/programs/index.js';
import { measureRate } from './timing.js';

/**
 * The interpreter's cost: compiled programs against the same logic written by hand in TypeScript,
 * on the same Connect Four positions (random games of 6 to 20 plies), in one run. The programs
 * run without their result cache, so the ratio is the closures' overhead alone (issue 27's
 * target: at most 3x); the cached figure is printed beside it.
 */

const UNLIMITED = { nodes: Infinity, simulations: Infinity, deadline: Infinity };

interface Case {
  readonly name: string;
  readonly text: string;
  /** The same computation by hand; `scratch` states and buffers are made once. */
  readonly byHand: (state: State) => number;
}

export async function benchPrograms(options: { json?: boolean }): Promise<unknown> {
  const game = createGame('connect4');
  const rng = createRng('bench-programs');
  const legal = new Int32Array(game.numActions);
  const states: State[] = [];
  while (states.length < 500) {
    const s = game.newInitialState();
    const plies = 6 + rng.int(15);
    while (!s.isTerminal() && s.moveNumber() < plies) s.apply(legal[rng.int(s.legalActions(legal))]);
    if (!s.isTerminal()) states.push(s);
  }
  const child = game.newInitialState();
  const grandchild = game.newInitialState();
  const replies = new Int32Array(game.numActions);
  const winsNow = (s: State, move: number): boolean => {
    child.copyFrom(s);
    child.apply(move);
    return child.isTerminal() && child.returnOf(s.currentPlayer()) > 0;
  };
  const losesNow = (s: State, move: number): boolean => {
    const mover = s.currentPlayer();
    child.copyFrom(s);
    child.apply(move);
    if (child.isTerminal()) return child.returnOf(mover) < 0;
    const opponent = child.currentPlayer();
    const n = child.legalActions(replies);
    for (let i = 0; i < n; i++) {
      grandchild.copyFrom(child);
      grandchild.apply(replies[i]);
      if (grandchild.isTerminal() && grandchild.returnOf(opponent) > 0) return true;
    }
    return false;
  };
  const cases: Case[] = [
    {
      name: 'value: moves minus immediate wins',
      text: '(program value (squash (- (num-moves pos) (count (legal-moves pos) (lambda (m) (win-now? pos m))))))',
      byHand: (s) => {
        const n = s.legalActions(legal);
        let wins = 0;
        for (let i = 0; i < n; i++) if (winsNow(s, legal[i])) wins++;
        return Math.tanh(n - wins);
      },
    },
    {
      name: 'policy: programs/greedy.arb',
      text: `(program policy (argmax (legal-moves pos) (lambda (m)
        (- (+ (if (win-now? pos m) 1000 0) (if (loses-now? pos m) -100 0)) (abs (- (move-col m) 3))))))`,
      byHand: (s) => {
        const n = s.legalActions(legal);
        let best = legal[0];
        let bestScore = -Infinity;
        for (let i = 0; i < n; i++) {
          const m = legal[i];
          const score = (winsNow(s, m) ? 1000 : 0) + (losesNow(s, m) ? -100 : 0) - Math.abs(m - 3);
          if (score > bestScore) {
            bestScore = score;
            best = m;
          }
        }
        return best;
      },
    },
  ];
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    const compiled = compileProgram(parseProgram(c.text), game, { cacheCapacity: 0 });
    const cached = compileProgram(parseProgram(c.text), game);
    // Same answers first: the comparison is of equal work.
    for (const s of states) {
      const a = compiled.run(s, UNLIMITED) as number;
      const b = c.byHand(s);
      if (Math.abs(a - b) > 1e-9) throw new Error(`bench programs: ${c.name} disagrees with the hand-written code on ${s.toMoveString()}: ${a} vs ${b}`);
    }
    const sweep = (f: (s: State) => unknown) => () => {
      for (const s of states) f(s);
      return states.length;
    };
    const hand = measureRate(sweep(c.byHand), 1000).perSecond;
    const program = measureRate(sweep((s) => compiled.run(s, UNLIMITED)), 1000).perSecond;
    const withCache = measureRate(sweep((s) => cached.run(s, UNLIMITED)), 1000).perSecond;
    const row = { case: c.name, handPerSecond: Math.round(hand), programPerSecond: Math.round(program), cachedPerSecond: Math.round(withCache), ratio: +(hand / program).toFixed(2) };
    rows.push(row);
    if (!options.json) {
      process.stdout.write(`${c.name}: by hand ${(1e6 / hand).toFixed(2)} us/position, compiled ${(1e6 / program).toFixed(2)} us (${row.ratio}x the hand-written cost), compiled with its cache ${(1e6 / withCache).toFixed(2)} us\n`);
    }
  }
  return { positions: states.length, game: game.spec, cases: rows };
}
