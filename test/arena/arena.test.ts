import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAgent, type AgentDefinition, legalActionList } from '../../src/core/index.js';
import {
  ArenaRecords,
  loadArenaFile,
  playMatch,
  replaySteps,
  reproduceGame,
  runArena,
} from '../../src/arena/index.js';
import { createGame } from '../../src/envs/index.js';

const root = mkdtempSync(join(tmpdir(), 'arbor-arena-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cli = join(import.meta.dirname, '../../dist/src/cli/main.js');

/** Throws on its second move: the arena must score the game as its loss and go on. */
const thrower: AgentDefinition = {
  name: 'test-thrower',
  description: 'throws on its second move',
  params: {},
  create: (_p, _c, spec) => {
    let moves = 0;
    return {
      name: spec,
      reset: () => (moves = 0),
      selectAction: async (state) => {
        if (++moves === 2) throw new Error('out of coffee');
        return legalActionList(state)[0];
      },
    };
  },
};
/** Plays an occupied cell once one exists. */
const cheater: AgentDefinition = {
  name: 'test-cheater',
  description: 'plays on an occupied cell',
  params: {},
  create: (_p, _c, spec) => ({
    name: spec,
    selectAction: async (state) => {
      for (let a = 0; a < state.game.numActions; a++) if (!state.isLegal(a)) return a;
      return legalActionList(state)[0];
    },
  }),
};
registerAgent(thrower);
registerAgent(cheater);

describe('arena on tictactoe', () => {
  it('random vs greedy in two worker threads: records written, read back, replayed, ratings ordered', async () => {
    const dir = join(root, 'ttt');
    const report = await runArena({ game: 'tictactoe', agents: ['random', 'greedy'], gamesPerPair: 40, openingPlies: 1, workers: 2, seed: 'ttt-1', dir });
    expect(report.gamesPlayed).toBe(40);
    const [random, greedy] = report.agents;
    expect(random.elo).toBe(0);
    expect(greedy.elo).toBeGreaterThan(100);
    expect(greedy.ci95[0]).toBeGreaterThan(0);
    expect(greedy.wins + greedy.draws + greedy.losses).toBe(40);
    expect(report.pairs).toEqual([{ a: 'random', b: 'greedy', aWins: random.wins, draws: random.draws, bWins: greedy.wins }]);
    expect(report.forfeits).toEqual([]);

    const records = ArenaRecords.openFile(join(dir, 'arena.sqlite'));
    try {
      const games = records.listGames();
      expect(games).toHaveLength(40);
      const game = createGame('tictactoe');
      // Paired: each opening is played twice, each agent first once.
      const byOpening = new Map<string, string[]>();
      for (const g of games) {
        expect(g.opening.split(' ')).toHaveLength(1);
        expect(g.moves.startsWith(g.opening)).toBe(true);
        const final = game.parseState(g.moves);
        expect(final.isTerminal()).toBe(true);
        const r = final.returnOf(0);
        expect(g.result).toBe(r > 0 ? 1 : r < 0 ? 0 : 0.5);
        expect(g.reason).toBe('normal');
        byOpening.set(g.opening, [...(byOpening.get(g.opening) ?? []), g.first]);
      }
      for (const firsts of byOpening.values()) expect(firsts.filter((f) => f === 'random').length * 2).toBe(firsts.length);
      // Every game is reproducible from its record (agents rebuilt from specs and seeds).
      for (const g of games.slice(0, 8)) {
        const again = await reproduceGame(g);
        expect(again.moves).toBe(g.moves);
        expect(again.same).toBe(true);
      }
      const steps = replaySteps(games[0]);
      expect(steps).toHaveLength(games[0].moves.split(' ').length + 1);
      expect(steps[1].by).toBe('opening');
      expect(steps.at(-1)!.board).toBe(game.parseState(games[0].moves).toString());
    } finally {
      records.close();
    }

    // A second run accumulates into the same ratings.
    const again = await runArena({ game: 'tictactoe', agents: ['random', 'greedy'], gamesPerPair: 10, workers: 1, seed: 'ttt-2', dir });
    expect(again.gamesPlayed).toBe(10);
    expect(again.gamesRated).toBe(50);
    expect(again.agents[1].wins + again.agents[1].draws + again.agents[1].losses).toBe(50);
  });

  it('an agent that throws or plays an illegal move loses that game, with the reason recorded; the arena goes on', async () => {
    const dir = join(root, 'broken');
    const report = await runArena({ game: 'tictactoe', agents: ['greedy', 'test-thrower', 'test-cheater'], gamesPerPair: 4, workers: 0, seed: 'b', dir });
    expect(report.gamesPlayed).toBe(12);
    const pair = (a: string, b: string) => report.pairs.find((p) => p.a === a && p.b === b)!;
    expect(pair('greedy', 'test-thrower').aWins).toBe(4);
    expect(pair('greedy', 'test-cheater').aWins).toBe(4);
    // Every game a broken agent takes part in ends by its forfeit (greedy needs more than one
    // move to win); between the two, whoever fails first loses.
    expect(report.forfeits).toHaveLength(12);
    for (const f of report.forfeits) expect(f.reason).toMatch(/^(agent threw: test-thrower: out of coffee|illegal move by test-cheater: [a-c][1-3])$/);
    const records = ArenaRecords.openFile(join(dir, 'arena.sqlite'));
    try {
      const games = records.listGames();
      expect(games).toHaveLength(12);
      const threw = games.filter((g) => g.reason.startsWith('agent threw: test-thrower: out of coffee'));
      const illegal = games.filter((g) => /^illegal move by test-cheater: [a-c][1-3]$/.test(g.reason));
      expect(threw.length).toBeGreaterThanOrEqual(4);
      expect(illegal.length).toBeGreaterThanOrEqual(4);
      for (const g of [...threw, ...illegal]) {
        const loser = g.reason.includes('test-thrower') ? 'test-thrower' : 'test-cheater';
        expect(g.result).toBe(g.first === loser ? 0 : 1);
      }
    } finally {
      records.close();
    }
  });

  it('agents registered by a setup module play in worker threads too, and their failures are recorded', async () => {
    const registry = pathToFileURL(join(import.meta.dirname, '../../dist/src/agents/index.js')).href;
    const module = join(root, 'worker-agents.mjs');
    writeFileSync(
      module,
      `import { registerAgent } from ${JSON.stringify(registry)};
export const crasher = { name: 'test-crasher', description: 'throws at once', params: {},
  create: (_p, _c, spec) => ({ name: spec, selectAction: async () => { throw new Error('crashed in a worker'); } }) };
registerAgent(crasher);
`,
    );
    // Under vitest this thread's registry is the TypeScript source's, the workers' the compiled
    // one (under the CLI both are the compiled one), so register the definition here as well.
    registerAgent(((await import(pathToFileURL(module).href)) as { crasher: AgentDefinition }).crasher);
    const result = await playMatch({ game: 'tictactoe', a: 'random', b: 'test-crasher', games: 6, workers: 2, seed: 'w', setupModules: [pathToFileURL(module).href] });
    expect([result.aWins, result.draws, result.bWins]).toEqual([6, 0, 0]);
    for (const g of result.games) expect(g.outcome.reason).toBe('agent threw: test-crasher: crashed in a worker');
  });

  it('playMatch stops early when the SPRT decides, without records or workers', async () => {
    const result = await playMatch({
      game: 'tictactoe',
      a: 'greedy',
      b: 'random',
      games: 400,
      openingPlies: 1,
      seed: 'sprt',
      sprt: { elo0: 0, elo1: 150, alpha: 0.05, beta: 0.05 },
    });
    expect(result.sprt!.decision).toBe('H1');
    const played = result.aWins + result.draws + result.bWins;
    expect(played).toBeLessThan(400);
    expect(played).toBe(result.games.length);
    expect(result.sprt!.llr).toBeGreaterThanOrEqual(result.sprt!.upper);
    expect(result.eloDiff.elo).toBeGreaterThan(0);
  });
});

describe('bad arena specs give one clear error before any game', () => {
  const write = (name: string, body: string) => {
    const path = join(root, name);
    writeFileSync(path, body);
    return path;
  };
  const good = { game: 'tictactoe', agents: ['random', 'greedy'], gamesPerPair: 2 };

  it('names the bad field', () => {
    expect(() => loadArenaFile(write('a.json', '{"game": "tictactoe",'))).toThrow(/a\.json is not valid JSON/);
    expect(() => loadArenaFile(write('b.json', JSON.stringify({ ...good, gamesPerPair: undefined })))).toThrow(/missing field "gamesPerPair"/);
    expect(() => loadArenaFile(write('c.json', JSON.stringify({ ...good, gamesPerPair: 2.5 })))).toThrow(/field "gamesPerPair"/);
    expect(() => loadArenaFile(write('d.json', JSON.stringify({ ...good, gamez: 3 })))).toThrow(/unknown field "gamez"; allowed: .*gamesPerPair/);
    expect(() => loadArenaFile(write('e.json', JSON.stringify({ ...good, agents: ['random'] })))).toThrow(/"agents" needs at least two agents/);
    expect(() => loadArenaFile(write('f.json', JSON.stringify({ ...good, agents: ['random', { spec: 'uct', simz: 3 }] })))).toThrow(/unknown field "simz" in agents\[1\]/);
    expect(() => loadArenaFile(write('f2.json', JSON.stringify({ ...good, agents: ['random', { spec: 'uct', sims: 3 }] })))).toThrow(/unknown field "sims" in agents\[1\]; allowed: spec, name, simulations, moveTimeMs; "sims" is now "simulations"/);
    expect(loadArenaFile(write('f3.json', JSON.stringify({ ...good, agents: ['random', { spec: 'uct:cUct=1', simulations: 3 }] }))).agents[1]).toMatchObject({ spec: 'uct:cUct=1,simulations=3' });
    expect(() => loadArenaFile(write('g.json', JSON.stringify({ ...good, agents: ['random', 7] })))).toThrow(/field "agents\[1\]" must be an agent spec string/);
    expect(() => loadArenaFile('/nonexistent/arena.json')).toThrow(/cannot read arena spec/);
  });

  it('unknown agents, games or anchors are refused before the records are even opened', async () => {
    const cases: [object, RegExp][] = [
      [{ ...good, agents: ['random', 'nosuchagent'] }, /unknown agent "nosuchagent"; available: .*random.*greedy/],
      [{ ...good, agents: ['random', 'greedy:depth=3'] }, /unknown agent option "depth" for greedy/],
      [{ ...good, agents: ['random', 'uct:sims=30'] }, /unknown agent option "sims" for uct; it is now simulations/],
      [{ ...good, game: 'chess' }, /unknown game "chess"; available: .*tictactoe/],
      [{ ...good, anchor: 'uct' }, /anchor "uct" is not one of the agents/],
      [{ ...good, agents: ['random', 'random'] }, /agents 1 and 2 are both "random"/],
      [{ ...good, openings: 9 }, /openings of 9 random plies end tictactoe games/],
    ];
    for (const [k, [spec, message]] of cases.entries()) {
      const path = write(`bad-${k}.json`, JSON.stringify({ ...spec, dir: `records-${k}` }));
      const config = loadArenaFile(path);
      await expect(runArena({ ...config, workers: 0 })).rejects.toThrow(message);
      expect(existsSync(join(root, `records-${k}`, 'arena.sqlite'))).toBe(false);
    }
  });
});

describe('the arena, move and replay commands', () => {
  it('arena --json prints exactly the documented object, specs as given; move prints POSITION MOVE', () => {
    const dir = join(root, 'cli');
    const out = execFileSync('node', [cli, 'arena', '--game', 'tictactoe', '--agents', 'random; greedy', '--games', '6', '--workers', '1', '--seed', 'c', '--dir', dir, '--json'], { encoding: 'utf8' });
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['agents', 'pairs']);
    expect(json.agents.map((a: { spec: string }) => a.spec)).toEqual(['random', 'greedy']);
    expect(Object.keys(json.agents[0])).toEqual(['spec', 'elo', 'ci95', 'wins', 'draws', 'losses']);
    expect(json.pairs).toHaveLength(1);
    expect(Object.keys(json.pairs[0])).toEqual(['a', 'b', 'aWins', 'draws', 'bWins']);
    expect(json.pairs[0].aWins + json.pairs[0].draws + json.pairs[0].bWins).toBe(6);

    const replay = execFileSync('node', [cli, 'replay', '--dir', dir, '--game-id', '1', '--verify'], { encoding: 'utf8' });
    expect(replay).toMatch(/^game 1 \(tictactoe/);
    expect(replay).toMatch(/verify: replayed from the seeds, the same moves and result/);

    // X (first) has a1 a2 after "a1 b1 a2 b2": greedy completes the column at a3.
    const move = execFileSync('node', [cli, 'move', '--game', 'tictactoe', '--agent', 'greedy', '--seed', '1', 'a1 b1 a2 b2', '-'], { encoding: 'utf8' });
    const lines = move.trim().split('\n');
    expect(lines[0]).toBe('a1 b1 a2 b2 a3');
    expect(lines[1]).toMatch(/^- [a-c][1-3]$/);
    // Connect Four: X has 1, 2, 3 on the bottom row; greedy plays 4.
    const c4 = execFileSync('node', [cli, 'move', '--game', 'connect4', '--agent', 'greedy'], { input: '112233\n', encoding: 'utf8' });
    expect(c4).toBe('112233 4\n');

    const bad = spawnSync('node', [cli, 'arena', '--game', 'tictactoe', '--agents', 'random;nope', '--games', '2'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^arbor: unknown agent "nope"; available: /);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
  });
});
