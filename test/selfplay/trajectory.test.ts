import { describe, expect, it } from 'vitest';
import { encodedSize, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { UniformEvaluator } from '../../src/mcts/index.js';
import { resolveConfig } from '../../src/selfplay/config.js';
import { playSelfPlayGames } from '../../src/selfplay/selfplay-batch.js';
import { isFalseResignation, type Trajectory } from '../../src/selfplay/trajectory.js';

/**
 * Self-play returns each game as a Trajectory: replaying its opening and actions from the start
 * must meet, move by move, the recorded player, encoding and legal mask, end in the recorded
 * outcome (or at the resignation), and the batch's totals must be those of its trajectories.
 */

function settingsFor(game: Game, patch: Record<string, unknown>) {
  return resolveConfig({ game: game.spec, gameId: game.id, preset: 'quick', seed: 'trajectory', overrides: { selfplay: patch } }).selfplay;
}

function checkAgainstReplay(game: Game, t: Trajectory, sims: { full: number; cheap: number }): void {
  const A = game.numActions;
  const inSize = encodedSize(game);
  expect(t.game).toBe(game.spec);
  expect([t.players.length, t.full.length, t.simulations.length, t.actions.length, t.rootValues.length, t.networkValues.length]).toEqual(new Array(6).fill(t.plies));
  expect([t.policies.length, t.visits.length, t.priors.length, t.masks.length, t.inputs.length]).toEqual([A, A, A, A, inSize].map((n) => n * t.plies));
  const state = game.newInitialState();
  for (const a of t.openingActions) state.apply(a);
  const encoded = new Float32Array(inSize);
  const mask = new Uint8Array(A);
  let lastMover = -1;
  for (let i = 0; i < t.plies; i++) {
    expect(t.players[i]).toBe(state.currentPlayer());
    state.encode(encoded, 0);
    expect(Array.from(t.inputs.subarray(i * inSize, (i + 1) * inSize))).toEqual(Array.from(encoded));
    state.legalMask(mask);
    expect(Array.from(t.masks.subarray(i * A, (i + 1) * A))).toEqual(Array.from(mask));
    expect(t.simulations[i]).toBe(t.full[i] ? sims.full : sims.cheap);
    let policySum = 0;
    let priorSum = 0;
    for (let a = 0; a < A; a++) {
      policySum += t.policies[i * A + a];
      priorSum += t.priors[i * A + a];
      if (!mask[a]) expect([t.policies[i * A + a], t.visits[i * A + a]]).toEqual([0, 0]);
    }
    expect(policySum).toBeCloseTo(1, 5);
    expect(priorSum).toBeCloseTo(1, 5);
    expect(Math.abs(t.rootValues[i])).toBeLessThanOrEqual(1);
    const action = t.actions[i];
    if (action < 0) {
      // A resignation: the last search, by the resigner, with no move played.
      expect(i).toBe(t.plies - 1);
      expect(t.resignation.resignedBy).toBe(t.players[i]);
      break;
    }
    expect(mask[action]).toBe(1);
    lastMover = state.currentPlayer();
    state.apply(action);
  }
  const r = t.resignation.resignedBy;
  if (r >= 0) {
    expect(state.isTerminal()).toBe(false);
    expect(t.outcome).toEqual([r === 0 ? -1 : 1, r === 1 ? -1 : 1]);
    expect(t.final.perspective).toBe(r);
  } else {
    expect(state.isTerminal()).toBe(true);
    expect(t.outcome).toEqual([state.returnOf(0), state.returnOf(1)]);
    expect(t.final.perspective).toBe(1 - lastMover);
  }
  state.encode(encoded, 0);
  expect(Array.from(t.final.inputs)).toEqual(Array.from(encoded));
}

describe('self-play trajectories', () => {
  it('replay to their recorded positions and outcomes (tic-tac-toe: openings, playout caps)', async () => {
    const game = createGame('tictactoe');
    const settings = settingsFor(game, { simulations: 24, cheapSimulations: 6, fullSearchFraction: 0.5, openings: { fraction: 0.5, randomMoves: 1, randomMovesUpTo: 2 } });
    const batch = await playSelfPlayGames(game, settings, () => new UniformEvaluator(game), { games: 20, firstGame: 0, seed: 't', concurrency: 4, keepTrajectories: true });
    const trajectories = batch.trajectories!;
    expect(trajectories).toHaveLength(20);
    for (const t of trajectories) checkAgainstReplay(game, t, { full: 24, cheap: 6 });
    expect(trajectories.some((t) => t.openingActions.length > 0)).toBe(true);
    expect(trajectories.some((t) => t.full.some((f) => f === 0))).toBe(true);
    // Each trajectory's seed is its game's stream, games numbered from firstGame.
    expect(new Set(trajectories.map((t) => t.seed))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `t/${i}`)));
    // The batch totals are those of its trajectories.
    const moves = trajectories.reduce((n, t) => n + t.actions.filter((a) => a >= 0).length, 0);
    const full = trajectories.reduce((n, t) => n + t.full.reduce((x: number, f) => x + f, 0), 0);
    const sims = trajectories.reduce((n, t) => n + t.simulations.reduce((x: number, s) => x + s, 0), 0);
    expect(batch.stats).toMatchObject({ games: 20, moves, samples: full, simulations: sims });
    expect(batch.chunk.count).toBe(full);
    expect(batch.stats.firstWins + batch.stats.secondWins + batch.stats.draws).toBe(20);
    expect(batch.stats.firstWins).toBe(trajectories.filter((t) => t.outcome[0] > 0).length);
  });

  it('record resignations and playthrough games (Connect Four)', async () => {
    const game = createGame('connect4');
    // A uniform evaluator's root values wander below 0, so a threshold of 0.05 resigns often.
    const resign = { enabled: true, threshold: 0.05, consecutiveMoves: 1, playthroughFraction: 0.4, minMoves: 2 };
    const settings = settingsFor(game, { simulations: 8, cheapSimulations: 8, fullSearchFraction: 1, resign });
    const batch = await playSelfPlayGames(game, settings, () => new UniformEvaluator(game), { games: 16, firstGame: 0, seed: 'r', concurrency: 2, keepTrajectories: true });
    const trajectories = batch.trajectories!;
    for (const t of trajectories) checkAgainstReplay(game, t, { full: 8, cheap: 8 });
    const resigned = trajectories.filter((t) => t.resignation.resignedBy >= 0);
    const playthrough = trajectories.filter((t) => t.resignation.playthrough);
    expect(resigned.length).toBeGreaterThan(0);
    expect(playthrough.length).toBeGreaterThan(0);
    // Playthrough games never resign; only they can hold would-be resignations.
    for (const t of playthrough) expect(t.resignation.resignedBy).toBe(-1);
    for (const t of trajectories.filter((x) => !x.resignation.playthrough)) expect(t.resignation.wouldResign).toEqual([false, false]);
    expect(batch.stats).toMatchObject({
      resigned: resigned.length,
      playthroughGames: playthrough.length,
      falseResignations: trajectories.filter(isFalseResignation).length,
      moves: trajectories.reduce((n, t) => n + t.plies, 0) - resigned.length,
    });
  });

  it('are kept only when asked for', async () => {
    const game = createGame('tictactoe');
    const batch = await playSelfPlayGames(game, settingsFor(game, { simulations: 8, cheapSimulations: 8 }), () => new UniformEvaluator(game), { games: 2, firstGame: 0, seed: 'k', concurrency: 1 });
    expect(batch.trajectories).toBeUndefined();
    expect(batch.stats.games).toBe(2);
  });
});
