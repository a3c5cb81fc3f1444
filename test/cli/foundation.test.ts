import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('arbor CLI (foundation commands)', () => {
  it('lists the games with their parameters', () => {
    const r = runCli(['games']);
    expect(r.code).toBe(0);
    for (const id of ['tictactoe', 'connect4', 'gomoku', 'othello', 'hex', 'breakthrough']) expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/rows=6 \(4\.\.12\)/);
  });

  it('prints perft counts as lines and as JSON', () => {
    expect(runCli(['perft', '--game', 'tictactoe', '--depth', '3']).stdout).toBe('1 9\n2 72\n3 504\n');
    const json = JSON.parse(runCli(['perft', '--game', 'connect4', '--depth', '4', '--json']).stdout);
    expect(json).toEqual({ game: 'connect4', counts: [7, 49, 343, 2401] });
  });

  it('answers bad input with one line and exit code 2', () => {
    for (const [args, pattern] of [
      [['perft', '--game', 'connect4:rows=0', '--depth', '2'], /rows=0 is out of range; allowed 4\.\.12/],
      [['perft', '--game', 'hex:size=40', '--depth', '2'], /size=40 is out of range/],
      [['perft', '--game', 'chess', '--depth', '2'], /unknown game "chess"; available: /],
      [['perft', '--game', 'connect4:rows', '--depth', '2'], /not key=value/],
      [['perft', '--game', 'connect4', '--depth', 'x'], /--depth x is not an integer/],
      [['play', '--game', 'connect4', '--agent', 'wizard'], /unknown agent "wizard"; available: .*random/],
    ] as const) {
      const r = runCli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('plays a human game in the terminal, refusing bad input with a hint', () => {
    // The human (first) fills the left column while the agent (random, seeded) plays elsewhere or blocks.
    const input = ['9', 'banana', 'moves', ...Array(21).fill('1'), ...Array(21).fill('2'), ...Array(21).fill('3'), ...Array(21).fill('4'), ...Array(21).fill('5'), ...Array(21).fill('6'), ...Array(21).fill('7')].join('\n');
    const r = runCli(['play', '--game', 'connect4', '--agent', 'random', '--human-first', '--seed', '7'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"9" is not a column; write a digit 1-7');
    expect(r.stdout).toContain('"banana" is not a column');
    expect(r.stdout).toMatch(/legal: 1 2 3 4 5 6 7/);
    expect(r.stdout).toMatch(/You win\.|random wins\.|Draw\./);
  });

  it('runs the demo: greedy beats random on Connect Four', () => {
    const r = runCli(['demo', '--games', '10', '--seed', 's2']);
    expect(r.code).toBe(0);
    const tally = /connect4: greedy (\d+)/.exec(r.stdout);
    expect(Number(tally?.[1])).toBeGreaterThanOrEqual(8);
    expect(r.stdout).toContain('1 2 3 4 5 6 7');
  });
});
