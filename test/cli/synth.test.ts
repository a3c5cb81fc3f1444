import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import '../../src/programs/index.js';
import { readLibraryProgram } from '../../src/transfer/index.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('arbor synth', () => {
  it('a tiny run writes a well-formed result whose best program plays', async () => {
    const out = join(dir, 'result.json');
    const library = join(dir, 'library');
    const r = runCli(['synth', '--game', 'tictactoe', '--evaluations', '30', '--seed', 'cli', '--workers', '0', '--final-games', '4', '--library', 'off', '--out', out, '--publish', 'ttt-synth'], undefined, 120_000, { ARBOR_LIBRARY: library });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tictactoe: 30 programs evaluated/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.format).toBe('arbor-synth-result');
    expect(result.stats.evaluated).toBe(30);
    expect(result.stats.enumerated).toBeGreaterThanOrEqual(result.stats.keptAfterEquivalence);
    expect(result.stats.gamesPlayed).toBe(result.stats.searchGames + result.stats.measurementGames);
    expect(result.curve.length).toBeGreaterThan(0);
    expect(result.curve[result.curve.length - 1].evaluated).toBe(30);
    expect(result.best.length).toBeGreaterThan(0);
    const best = result.best[0];
    expect(best.measured.map((m: { opponent: string }) => m.opponent)).toEqual(['random', 'greedy', 'uct:simulations=200']);
    for (const m of best.measured) expect(m.games).toBe(4);
    // Published: the same text, as a value program of the user library.
    const published = readLibraryProgram('ttt-synth', { user: library });
    expect(published.text).toBe(best.text);
    expect(published.type).toBe('value');
    expect(published.entry.games).toEqual(['tictactoe']);
    // The best program plays legal moves to the end of a game.
    const file = join(dir, 'best.arb');
    writeFileSync(file, best.text);
    const game = createGame('tictactoe');
    const agent = await createAgent(`program:${file}`, { game, seed: 'play' });
    const state = game.newInitialState();
    while (!state.isTerminal()) {
      const move = await agent.selectAction(state);
      expect(state.isLegal(move)).toBe(true);
      state.apply(move);
    }
  });

  it('refuses a run without a budget, or with two', () => {
    const none = runCli(['synth', '--game', 'tictactoe']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give a budget: --minutes M .* or --evaluations N/);
    const both = runCli(['synth', '--game', 'tictactoe', '--minutes', '1', '--evaluations', '3']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });
});
