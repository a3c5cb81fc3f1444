import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import '../../src/agents/index.js';
import '../../src/networks/index.js';
import '../../src/transfer/index.js';
import { readMetrics, train, type EvaluationMetrics, type IterationMetrics } from '../../src/selfplay/index.js';
import { chartSpecs } from '../../src/selfplay/report.js';
import { checkSharedPlanes, runGames } from '../../src/selfplay/run-games.js';
import { Libraries } from '../../src/transfer/index.js';

/**
 * A run over two different games (tic-tac-toe and Connect Four 4x5) with one union network:
 * per-game self-play, batches and evaluation rows, a checkpoint that plays both, resume, publish.
 */
const root = mkdtempSync(join(tmpdir(), 'arbor-multigame-'));
const configFile = join(root, 'tiny.json');
writeFileSync(configFile, JSON.stringify({
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 16, simulations: 8, cheapSimulations: 4, fullSearchFraction: 1 },
  replay: { minPositions: 20, sampleReuse: 2 },
  training: { batchSize: 16 },
  evaluation: { every: 2, gamesPerOpponent: 2, opponents: ['random'], previousCheckpoints: 0, oracle: false, perfectPlayGames: 0 },
  final: { games: 0, minStones: 0 },
}));
const games = ['tictactoe', 'connect4:rows=4,cols=5'];
let savedLibrary: string | undefined;

beforeAll(() => {
  savedLibrary = process.env.ARBOR_LIBRARY;
  process.env.ARBOR_LIBRARY = join(root, 'library');
});
afterAll(() => {
  if (savedLibrary === undefined) delete process.env.ARBOR_LIBRARY;
  else process.env.ARBOR_LIBRARY = savedLibrary;
});

async function firstMove(model: string, game: string): Promise<number> {
  const g = createGame(game);
  const agent = await createAgent(`mcts:model=${model},simulations=4`, { game: g, seed: 'm' });
  try {
    return await agent.selectAction(g.newInitialState());
  } finally {
    await agent.close?.();
  }
}

describe('a multi-game run', () => {
  const runDir = join(root, 'run');

  it('trains one network on both games, evaluates each, resumes and publishes a net that plays both', async () => {
    const summary = await train({ runDir, games, gameWeights: [1, 1], preset: 'quick', seed: 'mg', configFile, iterations: 2, skipFinal: true });
    expect(summary.iterations).toBe(2);
    expect(summary.game).toBe('tictactoe');
    const rows = readMetrics(join(runDir, 'metrics.jsonl'));
    const iterations = rows.filter((r): r is IterationMetrics => r.type === 'iteration');
    const last = iterations.at(-1)!;
    expect(last.sizes?.map((s) => s.game)).toEqual(games);
    expect(last.sizes!.reduce((n, s) => n + s.trainSteps, 0)).toBe(last.trainSteps - iterations[0].trainSteps);
    expect(last.sizes!.every((s) => s.trainSteps > 0)).toBe(true);
    const evaluations = rows.filter((r): r is EvaluationMetrics => r.type === 'evaluation');
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0].byGame?.map((e) => e.game)).toEqual(games);
    expect(evaluations[0].byGame!.every((e) => e.results[0].opponent === 'random' && e.results[0].wins + e.results[0].draws + e.results[0].losses === 2)).toBe(true);
    // The report draws one Elo line per game.
    const elo = chartSpecs(rows).find((c) => c.title.startsWith('Elo against games'))!;
    expect(new Set(elo.rows.map((r) => r.series))).toEqual(new Set(games));

    // The checkpoint is the union network; each game plays its own view.
    const meta = JSON.parse(readFileSync(join(runDir, 'checkpoints', 'latest', 'meta.json'), 'utf8'));
    expect(meta.games.map((g: { spec: string }) => g.spec)).toEqual(games);
    expect(meta.encodingPlanes).toHaveLength(8);
    // Each game's view answers in that game's action space: 9 cells, 5 columns.
    const tttMove = await firstMove(runDir, 'tictactoe');
    expect(Number.isInteger(tttMove) && tttMove >= 0 && tttMove < 9).toBe(true);
    const c4Move = await firstMove(runDir, 'connect4:rows=4,cols=5');
    expect(Number.isInteger(c4Move) && c4Move >= 0 && c4Move < 5).toBe(true);
    await expect(firstMove(runDir, 'breakthrough:rows=4,cols=4')).rejects.toThrow(/is a network for tictactoe, connect4:rows=4,cols=5, not breakthrough/);

    const resumed = await train({ runDir, resume: true, games, iterations: 3, skipFinal: true, publish: { name: 'ttt-c4' } });
    expect(resumed.iterations).toBe(3);
    expect(resumed.trainSteps).toBeGreaterThan(summary.trainSteps);
    expect(resumed.published?.entries).toEqual(['ttt-c4', 'ttt-c4/stem', 'ttt-c4/trunk', 'ttt-c4/policy', 'ttt-c4/policy:place', 'ttt-c4/policy:drop', 'ttt-c4/value']);
    const libraries = new Libraries();
    try {
      expect(libraries.get('ttt-c4').games).toEqual(games);
    } finally {
      libraries.close();
    }
    expect(await firstMove('lib:ttt-c4', 'connect4:rows=4,cols=5')).toBeLessThan(5);
    expect(await firstMove('lib:ttt-c4', 'tictactoe')).toBeLessThan(9);
    await expect(train({ runDir, resume: true, games: ['tictactoe', 'gomoku:size=4,k=3'], iterations: 4, skipFinal: true })).rejects.toThrow(/trains tictactoe, connect4:rows=4,cols=5, not tictactoe, gomoku:size=4,k=3/);
  }, 240_000);

  it('refuses what one network cannot serve, each in one line and before a run folder is made', async () => {
    const refused = async (where: string, o: Parameters<typeof train>[0], message: RegExp) => {
      await expect(train({ ...o, runDir: join(root, where) })).rejects.toThrow(message);
      expect(existsSync(join(root, where))).toBe(false);
    };
    await refused('twice', { runDir: '', games: ['tictactoe', 'connect4:rows=4,cols=5', 'tictactoe'], preset: 'quick', seed: 'r', configFile, iterations: 1 }, /^--game lists tictactoe twice; list each game once/);
    await refused('weights', { runDir: '', games, gameWeights: [1, 2, 3], preset: 'quick', seed: 'r', configFile, iterations: 1 }, /^3 game weight\(s\) for 2 games \(tictactoe, connect4:rows=4,cols=5\); give one weight per game/);
    const cells = join(root, 'cells.json');
    writeFileSync(cells, JSON.stringify({ model: { valueInput: 'cells' } }));
    await refused('cells', { runDir: '', games, preset: 'quick', seed: 'r', configFile: cells, iterations: 1 }, /model.valueInput "cells" reads one board size/);
    const gated = join(root, 'gated.json');
    writeFileSync(gated, JSON.stringify({ gating: { enabled: true } }));
    await refused('gated', { runDir: '', games, preset: 'quick', seed: 'r', configFile: gated, iterations: 1 }, /^gating.enabled plays one game's candidate against its incumbent; a multi-game run trains several, so turn gating off/);
    await refused('init', { runDir: '', games, preset: 'quick', seed: 'r', configFile, iterations: 1, init: { from: runDir, freeze: [], reinit: [], grow: {} } }, /^--init-from starts a network for one game; a multi-game run starts its union network fresh/);
  });

  it('refuses a game that shares no input plane with the others', () => {
    // A stand-in game whose planes share no name with tic-tac-toe's (every built-in game has cell:exists).
    const base = createGame('tictactoe');
    const foreign: Game = Object.assign(Object.create(base) as Game, { id: 'foreign', spec: 'foreign', encoding: { ...base.encoding, planes: ['own:x', 'opp:x', 'cell:y'] } });
    expect(() => runGames(['tictactoe', 'gomoku:size=4,k=3'], '--game')).not.toThrow();
    expect(() => checkSharedPlanes([base, createGame('gomoku:size=4,k=3'), foreign], '--game')).toThrow(/^--game: foreign shares no input plane with the other games \(it encodes own:x, opp:x, cell:y\)/);
  });
});

