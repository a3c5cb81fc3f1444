import { describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/index.js';
import { createGameRunner, playMatch, randomOpenings } from '../../src/arena/index.js';
import { AgentCache } from '../../src/arena/agent-cache.js';
import { playTask } from '../../src/arena/game.js';
import { gamesPerTask, PairTimes, type FinishedGame, type ScheduledGame } from '../../src/arena/match.js';
import { createGame } from '../../src/envs/index.js';

/** Games of a match by their place in the schedule (opening, colours), with moves and result. */
function bySchedule(games: readonly FinishedGame[]): Map<string, string> {
  return new Map(games.map((g) => [`${g.scheduled.openingIndex}/${g.scheduled.iFirst}`, `${g.outcome.moves.join(',')} ${g.outcome.score}`]));
}

describe('batched dispatch and cached agents change no game', () => {
  it('the same seeds give the same moves and results with one game per task, batches of six, adaptive batches, and in this thread', async () => {
    const common = { game: 'connect4', a: 'greedy', b: 'uct:simulations=40', games: 16, openingPlies: 2, seed: 'batch-1' } as const;
    const single = await playMatch({ ...common, workers: 2, gamesPerTask: 1 });
    const batched = await playMatch({ ...common, workers: 2, gamesPerTask: 6 });
    const adaptive = await playMatch({ ...common, workers: 1 });
    const inThread = await playMatch({ ...common, workers: 0 });
    expect(single.games).toHaveLength(16);
    const expected = bySchedule(single.games);
    expect(expected.size).toBe(16);
    expect(bySchedule(batched.games)).toEqual(expected);
    expect(bySchedule(adaptive.games)).toEqual(expected);
    expect(bySchedule(inThread.games)).toEqual(expected);
    expect([batched.aWins, batched.draws, batched.bWins]).toEqual([single.aWins, single.draws, single.bWins]);
    // And each equals the game played by freshly built agents (no cache, no worker).
    const game = createGame('connect4');
    for (const g of batched.games.slice(0, 6)) {
      const fresh = await playTask(g.scheduled.task, game);
      expect(fresh.moves).toEqual(g.outcome.moves);
      expect(fresh.score).toBe(g.outcome.score);
    }
  });

  it('a reseeded cached agent plays like a fresh one; an agent without reseed is never reused', async () => {
    const game = createGame('connect4');
    const cache = new AgentCache();
    const first = await cache.acquire(game, 'random', 'seed-a');
    await cache.release(game, 'random', first, true);
    const again = await cache.acquire(game, 'random', 'seed-b');
    expect(again).toBe(first);
    const fresh = await createAgent('random', { game, seed: 'seed-b' });
    const state = game.newInitialState();
    const view = game.newInitialState();
    for (let ply = 0; ply < 12 && !state.isTerminal(); ply++) {
      view.copyFrom(state);
      const a = await again.selectAction(view);
      expect(await fresh.selectAction(view)).toBe(a);
      state.apply(a);
    }
    const uct = await cache.acquire(game, 'uct:simulations=10', 's');
    await cache.release(game, 'uct:simulations=10', uct, true);
    expect(await cache.acquire(game, 'uct:simulations=10', 's')).not.toBe(uct);
    // An agent that threw is not trusted with another game.
    await cache.release(game, 'random', again, false);
    expect(await cache.acquire(game, 'random', 'seed-c')).not.toBe(again);
    await cache.clear();
  });

  it('batch sizes: untimed or slow pairs one game per task, fast ones up to 50 ms of games, single games at the end', () => {
    // Schedule: pair (0,1) is fast (1 ms), (0,2) slow (3 s), (1,2) not timed yet.
    const at = (i: number, j: number) => ({ i, j }) as ScheduledGame;
    const fast = Array.from({ length: 400 }, () => at(0, 1));
    const times = new PairTimes();
    expect(gamesPerTask(fast, 0, 2, times)).toBe(1);
    times.add(at(0, 1), 1);
    times.add(at(0, 1), 1);
    times.add(at(0, 2), 3000);
    expect(times.mean(at(0, 1))).toBe(1);
    expect(gamesPerTask(fast, 0, 2, times)).toBe(16);
    expect(gamesPerTask(fast, 0, 2, times, 3)).toBe(3);
    expect(gamesPerTask(fast, 360, 2, times)).toBe(5);
    expect(gamesPerTask(fast, 393, 2, times)).toBe(1);
    times.add(at(0, 1), 28); // mean 10 ms: 5 games fill the 50 ms
    expect(gamesPerTask(fast, 0, 2, times)).toBe(5);
    const mixed = [at(0, 1), at(0, 1), at(0, 2), ...fast];
    expect(gamesPerTask(mixed, 0, 1, times)).toBe(2);
    expect(gamesPerTask(mixed, 2, 1, times)).toBe(1);
    expect(gamesPerTask([at(1, 2), ...fast], 0, 1, times)).toBe(1);
  });

  it('a bad fixed batch size is refused with the fix', async () => {
    await expect(playMatch({ game: 'tictactoe', a: 'random', b: 'greedy', games: 2, workers: 1, gamesPerTask: 0 })).rejects.toThrow(
      /gamesPerTask 0 must be a positive integer \(1 = one game per worker task\)/,
    );
  });

  it('openings: all distinct ones first, then repeats once the game has no more (connect4 has 49 of 2 plies)', () => {
    const openings = randomOpenings(createGame('connect4'), 2000, 2, 'many');
    expect(openings).toHaveLength(2000);
    expect(new Set(openings.slice(0, 49).map((o) => o.join(','))).size).toBe(49);
    expect(new Set(openings.map((o) => o.join(','))).size).toBe(49);
  });

  it('warm() starts every worker before the first game; batches come back in task order', async () => {
    const runner = createGameRunner(2);
    try {
      await runner.warm(['tictactoe']);
      const tasks = [0, 1, 2].map((k) => ({
        game: 'tictactoe',
        players: [
          { spec: 'random', seed: `x${k}` },
          { spec: 'random', seed: `o${k}` },
        ] as const,
        opening: [k],
      }));
      const outcomes = await runner.runBatch(tasks);
      expect(outcomes.map((o) => o.moves[0])).toEqual([0, 1, 2]);
      const game = createGame('tictactoe');
      for (let k = 0; k < 3; k++) expect(outcomes[k].moves).toEqual((await playTask(tasks[k], game)).moves);
    } finally {
      await runner.close();
    }
  });
});
