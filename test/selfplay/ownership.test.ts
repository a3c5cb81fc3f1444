import { describe, expect, it } from 'vitest';
import { createRng, encodedSize, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { UniformEvaluator } from '../../src/mcts/index.js';
import { resolveConfig } from '../../src/selfplay/config.js';
import { concatChunks, decodeChunk, emptyChunk, encodeChunk, ReplayBuffer } from '../../src/selfplay/replay-buffer.js';
import { playSelfPlayGames } from '../../src/selfplay/selfplay-batch.js';
import { ownershipPlanes } from '../../src/selfplay/targets/ownership.js';

/**
 * KataGo's ownership targets (Wu 2019, §4.1) as self-play records them: every recorded position
 * gets the final owner of each cell from its mover's side. Stones never move or flip in
 * tic-tac-toe and Connect Four, so every stone already on the board of a recorded position must
 * show up in its target with the right sign, and the targets of one game hold the same final board.
 */

function settingsFor(game: Game, overrides: Record<string, unknown> = {}) {
  return resolveConfig({ game: game.spec, gameId: game.id, preset: 'quick', seed: 'ownership', overrides: { selfplay: { fullSearchFraction: 1, simulations: 16, cheapSimulations: 4, ...overrides } } }).selfplay;
}

for (const spec of ['tictactoe', 'connect4']) {
  describe(`ownership targets in ${spec} self-play`, () => {
    it('give +1 for every own stone and -1 for every opponent stone already on the board, and the same final board to a whole game', async () => {
      const game = createGame(spec);
      const settings = settingsFor(game);
      const { chunk, stats } = await playSelfPlayGames(game, settings, () => new UniformEvaluator(game), { games: 6, firstGame: 0, seed: 'own', concurrency: 1, recordOwnership: true });
      expect(stats.games).toBe(6);
      expect(chunk.ownership).toBeDefined();
      const own = chunk.ownership!;
      const cells = game.shape.rows * game.shape.cols;
      const inSize = encodedSize(game);
      expect(own.length).toBe(chunk.count * cells);
      const [ownPlane, oppPlane] = ownershipPlanes(game);
      let stonesChecked = 0;
      let previousStones = -1;
      let finalBoards = 0;
      for (let i = 0; i < chunk.count; i++) {
        let stones = 0;
        for (let c = 0; c < cells; c++) {
          const mine = chunk.inputs[i * inSize + ownPlane * cells + c];
          const theirs = chunk.inputs[i * inSize + oppPlane * cells + c];
          const target = own[i * cells + c];
          expect([-1, 0, 1]).toContain(target);
          if (mine === 1) expect(target).toBe(1);
          if (theirs === 1) expect(target).toBe(-1);
          stones += mine + theirs;
          stonesChecked += mine + theirs;
        }
        // Full searches on every move record every position, so a new game starts when the stone
        // count drops; within a game the |target| board (the final one) is the same at each move.
        if (stones <= previousStones) finalBoards++;
        else if (i > 0) {
          for (let c = 0; c < cells; c++) expect(Math.abs(own[i * cells + c])).toBe(Math.abs(own[(i - 1) * cells + c]));
        }
        previousStones = stones;
      }
      expect(finalBoards).toBe(5);
      expect(stonesChecked).toBeGreaterThan(30);
    });

    it('are not recorded unless asked for', async () => {
      const game = createGame(spec);
      const { chunk } = await playSelfPlayGames(game, settingsFor(game), () => new UniformEvaluator(game), { games: 2, firstGame: 0, seed: 'own', concurrency: 1 });
      expect(chunk.ownership).toBeUndefined();
    });
  });
}

describe('ownership targets', () => {
  it('follow resignation: a resigned game ends with the resigning side to move', async () => {
    const game = createGame('connect4');
    const settings = settingsFor(game, { resign: { enabled: true, threshold: 0, consecutiveMoves: 1, playthroughFraction: 0, minMoves: 0 } });
    const { chunk, stats } = await playSelfPlayGames(game, settings, () => new UniformEvaluator(game), { games: 4, firstGame: 0, seed: 'resign', concurrency: 1, recordOwnership: true });
    // A uniform evaluator's root values sit at 0 and wander below it, so games resign early.
    expect(stats.resigned).toBeGreaterThan(0);
    const cells = 42;
    const inSize = encodedSize(game);
    for (let i = 0; i < chunk.count; i++) {
      for (let c = 0; c < cells; c++) {
        if (chunk.inputs[i * inSize + c] === 1) expect(chunk.ownership![i * cells + c]).toBe(1);
        if (chunk.inputs[i * inSize + cells + c] === 1) expect(chunk.ownership![i * cells + c]).toBe(-1);
      }
    }
  });

  it('need the pieces planes of a two-player game: one clear error otherwise', () => {
    expect(ownershipPlanes(createGame('connect4'))).toEqual([0, 1]);
    expect(ownershipPlanes(createGame('breakthrough:rows=6,cols=6'))).toEqual([0, 1]);
    const game = createGame('tictactoe');
    const noPieces = { ...game, spec: 'odd', encoding: { planes: ['cell:exists'] }, numPlayers: 2 } as unknown as Game;
    expect(() => ownershipPlanes(noPieces)).toThrow(/own:stone\/opp:stone .*set training.ownershipWeight to 0/);
    const three = { ...game, spec: 'three', numPlayers: 3 } as unknown as Game;
    expect(() => ownershipPlanes(three)).toThrow(/two-player game/);
  });

  it('survive the chunk file, concatenation and sampling; a window without them cannot feed an ownership batch', () => {
    const game = createGame('tictactoe');
    const a = emptyChunk(game, 3, true);
    const b = emptyChunk(game, 2, true);
    a.ownership!.set([1, -1, 0, 0, 0, 0, 0, 0, 1], 0);
    b.ownership!.fill(-1);
    b.values.fill(0.5);
    const bytes = encodeChunk(game, a);
    const back = decodeChunk(game, bytes);
    if (typeof back === 'string') throw new Error(back);
    expect(Array.from(back.ownership!.subarray(0, 9))).toEqual([1, -1, 0, 0, 0, 0, 0, 0, 1]);
    expect(decodeChunk(game, bytes.subarray(0, bytes.length - 4))).toMatch(/truncated/);
    // Chunks written without ownership still read back (older run folders).
    expect((decodeChunk(game, encodeChunk(game, emptyChunk(game, 2))) as { ownership?: Float32Array }).ownership).toBeUndefined();
    const both = concatChunks(game, [back, b]);
    expect(both.ownership!.length).toBe(5 * 9);
    expect(both.ownership![3 * 9]).toBe(-1);

    const replay = new ReplayBuffer(game, { windowMin: 100, windowMax: 100, windowExponent: 0.75, windowGrowth: 0.4, sampleReuse: 1, minPositions: 0 });
    replay.add(b, 1);
    const out = emptyChunk(game, 4, true);
    replay.sample(out, 4, createRng('s'));
    expect(Array.from(out.ownership!)).toEqual(new Array(36).fill(-1));
    const plain = new ReplayBuffer(game, { windowMin: 100, windowMax: 100, windowExponent: 0.75, windowGrowth: 0.4, sampleReuse: 1, minPositions: 0 });
    plain.add(emptyChunk(game, 2), 1);
    expect(() => plain.sample(out, 4, createRng('s'))).toThrow(/without ownership targets/);
  });
});

describe('the final-position side that ownership targets assume', () => {
  // Self-play records a finished game's encoding as the last mover's opponent's view (Trajectory.final). Games
  // with a side:first-player plane show that side directly; check it at the end of random games.
  for (const spec of ['connect4', 'hex:size=5', 'breakthrough:rows=5,cols=5']) {
    it(`holds for ${spec}: a terminal state encodes from the side of the player who did not move last`, () => {
      const game = createGame(spec);
      const side = game.encoding.planes.indexOf('side:first-player');
      const cells = game.shape.rows * game.shape.cols;
      const rng = createRng(`side-${spec}`);
      const legal = new Int32Array(game.numActions);
      const out = new Float32Array(encodedSize(game));
      for (let g = 0; g < 20; g++) {
        const state = game.newInitialState();
        let lastMover = -1;
        while (!state.isTerminal()) {
          lastMover = state.currentPlayer();
          state.apply(legal[rng.int(state.legalActions(legal))]);
        }
        state.encode(out, 0);
        expect(out[side * cells]).toBe(1 - lastMover === 0 ? 1 : 0);
      }
    });
  }
});
