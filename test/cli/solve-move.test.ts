import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { hasScript, runCli, runCliInTerminal } from './run-cli.js';

/** A middle-game position of the shipped labelled set, with its exact move scores (Pons' convention). */
const MIDDLE = '441644233554277';
const labelled = readFileSync(new URL('../../data/positions/connect4-6x7.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.includes(`"moves":"${MIDDLE}"`))
  .map((l) => JSON.parse(l) as { scores: (number | null)[] })[0];

/** `expects 4 3 5` in a line -> ['4', '3', '5']. */
function variation(line: string): string[] {
  const m = /expects ([^,)]+?)(?:,| in |\)|$)/.exec(line);
  expect(m, line).not.toBeNull();
  return m![1].trim().split(' ');
}

/** The variation replays legally from `position` in the game's notation (parseState refuses anything else). */
function expectPlayable(game: string, position: string, moves: string[]): void {
  const g = createGame(game);
  const separator = game.startsWith('connect4') ? '' : ' ';
  const text = [position, ...moves].filter((s) => s !== '' && s !== '-').join(separator);
  expect(() => g.parseState(text), text).not.toThrow();
}

describe('solve and move: the lines scripts read stay as they are', () => {
  it('solve prints POSITION SCORE per position, and nothing else when stdout is not a terminal', () => {
    expect(labelled.scores).toEqual([-11, -3, -3, -11, -13, -11, -11]);
    const r = runCli(['solve', '--game', 'connect4', MIDDLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${MIDDLE} -3\n`);
    expect(r.stderr).toBe('');
    const weak = runCli(['solve', '--game', 'connect4', '--weak'], '4453\n44\n');
    expect(weak.stdout).toBe('4453 -1\n44 1\n');
    expect(weak.stderr).toBe('');
  });

  it('move prints POSITION MOVE per position, and nothing else when stdout is not a terminal', () => {
    const r = runCli(['move', '--game', 'connect4', '--agent', 'greedy'], '112233\n');
    expect(r.stdout).toBe('112233 4\n');
    expect(r.stderr).toBe('');
  });

  it.skipIf(!hasScript)('explains the numbers on stderr when stdout is a terminal', () => {
    const solved = runCliInTerminal(['solve', '--game', 'connect4', MIDDLE]);
    expect(solved.code).toBe(0);
    expect(solved.output).toMatch(new RegExp(`^${MIDDLE} -3\\nPOSITION SCORE: SCORE is the result for the side to move with perfect play: > 0 it wins, 0 draw, < 0 it loses; .*22 minus the winner's stones`));
    const weak = runCliInTerminal(['solve', '--game', 'connect4', '--weak', '4453']);
    expect(weak.output).toMatch(/^4453 -1\nPOSITION SCORE: .*1 it wins, 0 draw, -1 it loses/);
    const moved = runCliInTerminal(['move', '--game', 'connect4', '--agent', 'greedy', '112233']);
    expect(moved.output).toMatch(/^112233 4\nPOSITION MOVE: the position as given \("-" = the start\), then the move the agent picks/);
  });
});

describe('--analyze: labelled tables', () => {
  it('solve --analyze labels the moves and their exact scores', () => {
    const r = runCli(['solve', '--game', 'connect4', '--analyze', MIDDLE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${MIDDLE}: O to move; score -3 (O loses); best: 2 3`);
    expect(lines[1].trim().split(/\s+/)).toEqual(['move', '1', '2', '3', '4', '5', '6', '7']);
    expect(lines[2].trim().split(/\s+/)).toEqual(['score', ...labelled.scores.map(String)]);
    // JSON keeps its shape.
    const json = JSON.parse(runCli(['solve', '--game', 'connect4', '--analyze', '--json', MIDDLE]).stdout);
    expect(json).toEqual({ moves: MIDDLE, score: -3, scores: labelled.scores });
  });

  it('solve --analyze lists only the legal moves, in the game\'s notation', () => {
    const r = runCli(['solve', '--game', 'tictactoe', '--analyze', 'b2 a1']);
    const lines = r.stdout.trimEnd().split('\n');
    // Tic-tac-toe is a draw with perfect play, from here too.
    expect(lines[0]).toBe('b2 a1: X to move; score 0 (draw); best: b1 c1 a2 c2 a3 b3 c3');
    expect(lines[1].trim().split(/\s+/)).toEqual(['move', 'b1', 'c1', 'a2', 'c2', 'a3', 'b3', 'c3']);
  });

  it('move --analyze shows a table of root moves and the principal variation in move notation', () => {
    const r = runCli(['move', '--game', 'connect4', '--agent', 'uct:simulations=2000', '--seed', '1', '--analyze', MIDDLE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const chosen = /^441644233554277: O to move; uct:simulations=2000 plays ([1-7])$/.exec(lines[0]);
    expect(chosen, lines[0]).not.toBeNull();
    expect(lines[1].trim().split(/\s+/)).toEqual(['move', 'visits', 'policy', 'prior', 'value', 'proven']);
    const rows = lines.slice(2, 9).map((l) => l.trim().split(/\s+/));
    expect(rows.map((c) => c[0]).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const visits = rows.map((c) => Number(c[1]));
    // Most visited first; every simulation passes through one root move.
    expect(visits).toEqual([...visits].sort((a, b) => b - a));
    expect(visits.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(rows[0][0]).toBe(chosen![1]);
    // The solver's best moves here are 2 and 3 (-3); 2000 simulations find one of them.
    expect(['2', '3']).toContain(chosen![1]);
    const summary = lines[9];
    expect(summary).toMatch(/^ {2}value [+-]\d\.\d\d, expects [1-7]( [1-7])*, 2000 simulations in \d+\.\d\d s$/);
    const pv = variation(summary);
    expect(pv[0]).toBe(chosen![1]);
    expect(pv.length).toBeGreaterThan(1);
    expectPlayable('connect4', MIDDLE, pv);
  });

  it('move --analyze writes tic-tac-toe variations as cells', () => {
    const r = runCli(['move', '--game', 'tictactoe', '--agent', 'uct:simulations=500', '--seed', '2', '--analyze', '-']);
    const summary = r.stdout.trimEnd().split('\n').at(-1)!;
    const pv = variation(summary);
    for (const m of pv) expect(m).toMatch(/^[a-c][1-3]$/);
    expectPlayable('tictactoe', '', pv);
  });
});

describe('search results elsewhere print the principal variation in move notation', () => {
  it('play: the agent\'s move line carries its value and the line it expects', () => {
    const r = runCli(['play', '--game', 'tictactoe', '--agent', 'uct:simulations=300', '--seed', '3'], 'quit\n');
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('uct:simulations=300 plays '))!;
    expect(line).toMatch(/^uct:simulations=300 plays ([a-c][1-3]) \((value [+-]\d\.\d\d|proven (win|draw|loss)), expects [a-c][1-3]( [a-c][1-3])*, 300 simulations\)$/);
    const pv = variation(line);
    expect(pv[0]).toBe(/plays (\S+)/.exec(line)![1]);
    expectPlayable('tictactoe', '', pv);
  });

  it('demo --moves: every move, with the search agent\'s value and variation', () => {
    const r = runCli(['demo', '--game', 'tictactoe', '--agents', 'uct:simulations=300;greedy', '--games', '1', '--moves', '--seed', 'pv']);
    expect(r.code).toBe(0);
    const moves = r.stdout.split('\n').filter((l) => /^\d+\. [XO] /.test(l));
    const final = /moves ((?:[a-c][1-3] ?)+)\n/.exec(r.stdout)![1].trim().split(' ');
    expect(moves).toHaveLength(final.length);
    moves.forEach((l, i) => expect(l).toMatch(new RegExp(`^${i + 1}\\. ${i % 2 === 0 ? 'X uct:simulations=300' : 'O greedy'} plays ${final[i]}`)));
    const searched = moves.filter((l) => l.includes('uct:simulations=300 plays'));
    for (const l of searched) expect(l).toMatch(/ \((value [+-]\d\.\d\d|proven (win|draw|loss)), expects [a-c][1-3]( [a-c][1-3])*(, \d+ simulations)?\)$/);
    for (const l of moves.filter((m) => m.includes('greedy plays'))) expect(l).not.toContain('expects');
    // The board after each move but the last, and the final board under the result.
    expect(r.stdout.split('   a b c\n').length - 1).toBe(final.length);
  });
});
