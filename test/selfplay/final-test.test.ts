import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/agents/builtins.js';
import { playMatch } from '../../src/arena/index.js';
import { isArborError } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { resolveConfig, validateConfig } from '../../src/selfplay/config.js';
import { checkFinalStarts, describePerfectPlay, evaluateCheckpoint, finalPerfectPlayTest, finalStartPositions, playAgainstPerfectPlay } from '../../src/selfplay/evaluation.js';
import { presetFor } from '../../src/selfplay/presets.js';
import type { RunState } from '../../src/selfplay/run-folder.js';
import { tinyCheckpoints } from './tiny-checkpoints.js';

/**
 * The closing test against perfect play from labelled positions (Connect Four: early positions
 * take the solver minutes, positions with >= 15 stones milliseconds).
 */
const c4 = createGame('connect4');
const ttt = createGame('tictactoe');

/** Win/draw/loss of a labelled position for the player to move: the sign of its best move's score. */
const valueOf = (scores: readonly (number | null)[]) => Math.sign(Math.max(...scores.filter((v): v is number => v !== null)));

async function arborMessage(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isArborError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an ArborError');
}

describe('closing test from labelled Connect Four positions', () => {
  it('picks evenly spaced labelled starts with at least minStones stones', () => {
    const starts = finalStartPositions(c4, 6, 15);
    expect(starts).toHaveLength(6);
    expect(starts.every((p) => p.stones >= 15)).toBe(true);
    expect(new Set(starts.map((p) => p.moves)).size).toBe(6);
    // Spread through the file (sorted by stones): middle and end game alike.
    expect(starts.some((p) => p.stones <= 28) && starts.some((p) => p.stones > 28)).toBe(true);
  });

  it('perfect play against perfect play keeps the result in every game; the paired colours give exactly the starts\' values', async () => {
    const starts = finalStartPositions(c4, 6, 15);
    const r = await playAgainstPerfectPlay({ game: c4, agent: 'solver', games: 12, minStones: 15, seed: 'kept', workers: 0 });
    expect(r.games).toBe(12);
    expect(r.keptResult).toBe(12);
    // Each start is played twice, the agent once as the side to move (it gets the start's value v)
    // and once as the other side (it gets -v): every decisive start gives one win and one loss.
    const decisive = starts.filter((p) => valueOf(p.scores) !== 0).length;
    expect(r.wins).toBe(decisive);
    expect(r.losses).toBe(decisive);
    expect(r.draws).toBe(2 * (6 - decisive));
    expect(describePerfectPlay(r)).toContain('kept the result in 12 of 12 games against perfect play');
  });

  it('counts the games a weak agent throws away (random does not keep every result)', async () => {
    const r = await playAgainstPerfectPlay({ game: c4, agent: 'random', games: 20, minStones: 15, seed: 'random', workers: 0 });
    expect(r.games).toBe(20);
    expect(r.keptResult).not.toBeNull();
    expect(r.keptResult!).toBeLessThan(20);
    // Nobody beats perfect play: every win of random is a start already won for it, so kept.
    expect(r.keptResult!).toBeGreaterThanOrEqual(r.wins);
  });

  it('runs the checkpoint, searching and raw, from the labelled starts (a tiny untrained net)', async () => {
    const { root, folder } = await tinyCheckpoints(c4, ['iter-000001'], 3);
    const config = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 'final', overrides: { final: { games: 6, simulations: 4, minStones: 15 } } });
    const results = await finalPerfectPlayTest({ game: c4, config, folder, checkpoint: 'iter-000001', workers: 0 });
    expect(results.map((r) => r.agent)).toEqual([`mcts:model=${join(root, 'iter-000001')},simulations=4`, `mcts:model=${join(root, 'iter-000001')},simulations=1`]);
    for (const r of results) {
      expect(r.opponent).toBe('solver');
      expect(r.games).toBe(6);
      expect(r.wins + r.draws + r.losses).toBe(6);
      expect(r.minStones).toBe(15);
      expect(r.keptResult).toBeGreaterThanOrEqual(0);
      expect(r.keptResult).toBeLessThanOrEqual(6);
    }
  });

  it('plays the perfect player at each evaluation during training, from the same starts (perfectPlayGames)', async () => {
    const { root, folder } = await tinyCheckpoints(c4, ['iter-000002'], 4);
    const config = resolveConfig({
      game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 'inrun',
      overrides: { evaluation: { gamesPerOpponent: 0, simulations: 4, oracle: false, perfectPlayGames: 8 } },
    });
    const state = { evaluatedCheckpoints: [] } as unknown as RunState;
    const record = await evaluateCheckpoint({ game: c4, config, folder, state, checkpoint: 'iter-000002', workers: 0 });
    expect(record.results).toEqual([]);
    expect(record.oracle).toBeNull();
    const p = record.perfectPlay!;
    expect(p.agent).toBe(`mcts:model=${join(root, 'iter-000002')},simulations=4`);
    expect(p.games).toBe(8);
    expect(p.wins + p.draws + p.losses).toBe(8);
    expect(p.minStones).toBe(15);
    expect(p.keptResult).toBeGreaterThanOrEqual(p.wins);
    expect(record.summary).toContain(`vs solver kept ${p.keptResult}/8`);
  });

  it('keeps random first moves from the empty board for tic-tac-toe (minStones 0): no kept count, never lost', async () => {
    const r = await playAgainstPerfectPlay({ game: ttt, agent: 'solver', games: 4, minStones: 0, seed: 'ttt', workers: 0 });
    expect(r.games).toBe(4);
    expect(r.keptResult).toBeNull();
    expect(r.draws).toBe(4);
    expect(r.neverLost).toBe(true);
    expect(describePerfectPlay(r)).toContain('never lost: perfect play');
  });

  it('is on for the Connect Four presets and off (random first moves) for tic-tac-toe', () => {
    for (const preset of ['quick', 'standard'] as const) {
      const f = presetFor('connect4', preset).final!;
      expect(f.minStones).toBe(15);
      expect(f.games).toBeGreaterThan(0);
      expect(presetFor('tictactoe', preset).final!.minStones).toBe(0);
    }
  });
});

describe('closing-test config errors', () => {
  it('refuses a minStones no labelled position reaches, naming the limit and the fix', async () => {
    const config = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 's', overrides: { final: { minStones: 60 } } });
    const msg = await arborMessage(() => checkFinalStarts(c4, config));
    expect(msg).toContain('final.minStones 60');
    expect(msg).toContain('the most is 41');
    expect(msg).toContain('smaller final.minStones');
  });

  it('refuses more games than there are labelled starts for (two games per start)', async () => {
    const config = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 's', overrides: { final: { games: 2000, minStones: 15 } } });
    const msg = await arborMessage(() => checkFinalStarts(c4, config));
    expect(msg).toContain('2000 games against the solver (final.games, evaluation.perfectPlayGames) need 1000 labelled starts');
    expect(msg).toContain('ships 920 with at least 15 stones');
    expect(msg).toContain('at most 1840 games');
  });

  it('checks the in-run games against the solver the same way', async () => {
    const config = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 's', overrides: { evaluation: { perfectPlayGames: 1900 } } });
    const msg = await arborMessage(() => checkFinalStarts(c4, config));
    expect(msg).toContain('1900 games against the solver');
    expect(msg).toContain('at most 1840 games');
  });

  it('refuses labelled starts for a solvable game that ships no labelled positions', async () => {
    const gomoku = createGame('gomoku:size=4,k=3');
    const config = resolveConfig({ game: gomoku.spec, gameId: 'gomoku', preset: 'quick', seed: 's', overrides: { final: { games: 10, minStones: 4 } } });
    const msg = await arborMessage(() => checkFinalStarts(gomoku, config));
    expect(msg).toContain('none are shipped');
    expect(msg).toContain('final.minStones to 0');
  });

  it('refuses a negative minStones in a config', async () => {
    const base = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'quick', seed: 's' });
    const msg = await arborMessage(() => validateConfig({ ...base, final: { ...base.final, minStones: -1 } }, 'test config'));
    expect(msg).toContain('final.minStones');
  });

  it('playMatch refuses too few or illegal explicit openings', async () => {
    const few = await arborMessage(playMatch({ game: 'connect4', a: 'random', b: 'random', games: 6, openings: [[3], [3, 3]], workers: 0 }));
    expect(few).toContain('6 games need 3 openings');
    const illegal = await arborMessage(playMatch({ game: 'connect4', a: 'random', b: 'random', games: 2, openings: [[3, 3, 3, 3, 3, 3, 3]], workers: 0 }));
    expect(illegal).toContain('illegal move 3');
  });
});
