import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Game as BgioGame, State as BgioState } from 'boardgame.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bgioClient, bgioMultiplayer, bgioServer } from '../../src/boardgameio/bgio.js';

/**
 * Real servers on loopback ports, real sockets, no mocks. The "user" side (clients, the second
 * server, the game module) is written here with boardgame.io's own API, not arbor code.
 */
const root = resolve(__dirname, '../..');
const cli = join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'arbor-bgio-'));
const require = createRequire(import.meta.url);

/** A user's game module (CommonJS): tic-tac-toe, plus a variant whose server refuses every move. */
const gameSource = `
const lines = [[0,1,2],[3,4,5],[6,7,8],[0,3,6],[1,4,7],[2,5,8],[0,4,8],[2,4,6]];
function make(name, refuseAll) {
  return {
    name,
    setup: () => ({ cells: Array(9).fill(null) }),
    turn: { minMoves: 1, maxMoves: 1 },
    moves: {
      clickCell: ({ G, playerID }, id) => {
        if (refuseAll || G.cells[id] !== null) return 'INVALID_MOVE';
        G.cells[id] = playerID;
      },
    },
    endIf: ({ G }) => {
      for (const [a, b, c] of lines) if (G.cells[a] !== null && G.cells[a] === G.cells[b] && G.cells[a] === G.cells[c]) return { winner: G.cells[a] };
      if (G.cells.every((c) => c !== null)) return { draw: true };
    },
    ai: { enumerate: (G) => G.cells.flatMap((c, i) => (c === null ? [{ move: 'clickCell', args: [i] }] : [])) },
  };
}
exports.ticTacToe = make('ttt', false);
exports.refusing = make('ttt-refusing', true);
// The bot's copy of the refusing game accepts moves, so only the server refuses them.
exports.refusingClientSide = make('ttt-refusing', false);
`;
const gameFile = join(dir, 'games.cjs');
writeFileSync(gameFile, gameSource);

interface Spawned {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
function runCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const s: Spawned = { child, stdout: '', stderr: '', exit: Promise.resolve(null) };
  child.stdout!.on('data', (d) => (s.stdout += String(d)));
  child.stderr!.on('data', (d) => (s.stderr += String(d)));
  s.exit = new Promise((r) => child.on('exit', (code) => r(code)));
  return s;
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A plain boardgame.io player: plays the first move `ai.enumerate` offers whenever the server's
 * state says it is its turn. After moving at state s it waits for s + 2 (the opponent's reply),
 * since its own optimistic state still shows its turn.
 */
function playAsUser(game: BgioGame, server: string, matchID: string, playerID: string, credentials: string) {
  const { Client } = bgioClient();
  const { SocketIO } = bgioMultiplayer();
  const client = Client({ game, matchID, playerID, credentials, debug: false, multiplayer: SocketIO({ server, socketOpts: { transports: ['websocket'] } }) });
  let nextAllowed = 0;
  let stopped = false;
  const stop = () => {
    if (!stopped) client.stop();
    stopped = true;
  };
  const over = new Promise<unknown>((resolveOver, reject) => {
    const timer = setTimeout(() => reject(new Error('match did not finish in 30 s')), 30_000);
    client.subscribe((s: BgioState | null) => {
      if (!s) return;
      if (s.ctx.gameover !== undefined) {
        clearTimeout(timer);
        resolveOver(s.ctx.gameover);
        return;
      }
      if (s.ctx.currentPlayer !== playerID || s._stateID < nextAllowed) return;
      const [first] = game.ai!.enumerate(s.G, s.ctx, playerID) as { move: string; args: number[] }[];
      nextAllowed = s._stateID + 2;
      setImmediate(() => client.moves[first.move](...first.args));
    });
  });
  client.start();
  return { client, stop, over };
}

const stoppers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('arbor serve', () => {
  it('hosts connect4 on 127.0.0.1 with a resident bot; a plain boardgame.io client plays a whole match', async () => {
    const serve = runCli(['serve', '--game', 'connect4,tictactoe', '--port', '0', '--bots', '1=greedy']);
    stoppers.push(async () => {
      serve.child.kill('SIGTERM');
      await serve.exit;
    });
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(serve.stdout), 20_000, 'arbor serve to listen');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout)![1];

    const { LobbyClient } = bgioClient();
    const lobby = new LobbyClient({ server: url });
    expect((await lobby.listGames()).sort()).toEqual(['connect4', 'tictactoe']);
    const { matchID } = await lobby.createMatch('connect4', { numPlayers: 2 });
    // The resident bot took seat 1 before createMatch returned; seat 0 is ours at once.
    const match = await lobby.getMatch('connect4', matchID);
    expect(match.players.find((p) => p.id === 1)?.name).toBe('arbor greedy');
    const { playerCredentials } = await lobby.joinMatch('connect4', matchID, { playerID: '0', playerName: 'user' });

    // The user's client needs a game object with the same name and moves; the converted game is
    // what a user would import from arbor/boardgameio, but here we write the rules' shape by hand.
    const { toBoardgameIO } = await import('../../src/boardgameio/index.js');
    const { stop, over } = playAsUser(toBoardgameIO('connect4'), url, matchID, '0', playerCredentials);
    stoppers.push(stop);
    const result = await over;
    stop();
    // Always playing the leftmost legal column, the user loses to greedy (which blocks and wins).
    expect(result).toEqual({ winner: '1' });
    await waitFor(() => serve.stdout.includes(`match ${matchID} (connect4): over, {"winner":"1"}`), 5000, 'the resident bot to finish');
    // No move was ever rejected: the server logs every rejection as an ERROR line.
    expect(serve.stdout + serve.stderr).not.toMatch(/ERROR|disallowed|invalid move/i);
  });
});

describe('arbor bot', () => {
  let url = '';
  let port = 0;
  let io: { of(ns: string): { sockets: Map<string, { disconnect(close: boolean): void }> } };
  const { LobbyClient } = bgioClient();
  const games = require(gameFile) as Record<string, BgioGame>;

  beforeAll(async () => {
    const { Server, Origins } = bgioServer();
    const server = Server({ games: [games.ticTacToe, games.refusing], origins: [Origins.LOCALHOST] });
    const running = await server.run({ port: 0 });
    io = (server.app as unknown as { _io: typeof io })._io;
    port = (running.appServer.address() as { port: number }).port;
    url = `http://localhost:${port}`;
    stoppers.push(() => server.kill(running));
  });

  it("plays a user's game from a module against a plain client and prints the result as its last line", async () => {
    const lobby = new LobbyClient({ server: url });
    const { matchID } = await lobby.createMatch('ttt', { numPlayers: 2 });
    const { playerCredentials } = await lobby.joinMatch('ttt', matchID, { playerID: '0', playerName: 'user' });
    const bot = runCli(['bot', '--server', url, '--game-module', `${gameFile}#ticTacToe`, '--match', matchID, '--player', '1', '--agent', 'greedy', '--seed', 'net']);
    const { client, stop, over } = playAsUser(games.ticTacToe, url, matchID, '0', playerCredentials);
    stoppers.push(stop);
    // Once the bot has replied to the first move, the server drops the bot's socket (not ours).
    const mine = () => (client as unknown as { transport: { socket: { id: string } } }).transport.socket.id;
    let dropped = false;
    client.subscribe((s) => {
      if (dropped || !s || s._stateID < 2) return;
      dropped = true;
      for (const [id, socket] of io.of('/ttt').sockets) if (id !== mine()) socket.disconnect(true);
    });
    const result = await over;
    stop();
    expect(await bot.exit).toBe(0);
    const lines = bot.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ result, matchID, playerID: '1' });
    // User plays 0,1,2,... in order; greedy blocks 2 after 0,1 and so on: it never loses.
    expect(result).not.toEqual({ winner: '0' });
    expect(bot.stderr).toMatch(/joined match .* as seat 1/);
    expect(dropped).toBe(true);
    expect(bot.stderr).toMatch(/connection lost; reconnecting\n(.*\n)*arbor bot: reconnected/);
  });

  it('fails fast with one clear line on bad input', async () => {
    const lobby = new LobbyClient({ server: url });
    const full = await lobby.createMatch('ttt', { numPlayers: 2 });
    await lobby.joinMatch('ttt', full.matchID, { playerID: '0', playerName: 'a' });
    const taken = await lobby.joinMatch('ttt', full.matchID, { playerID: '1', playerName: 'b' });
    const refusing = await lobby.createMatch('ttt-refusing', { numPlayers: 2 });
    const nowhere = await closedPort();
    const base = ['--agent', 'random', '--timeout', '2000'];
    const cases: [string[], RegExp][] = [
      [['--server', `http://127.0.0.1:${nowhere}`, '--game-module', `${gameFile}#ticTacToe`, '--create', '--player', '0'], /cannot reach the boardgame.io server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
      [['--server', url, '--game', 'connect4', '--create', '--player', '0'], /does not host game "connect4"; it hosts: ttt, ttt-refusing/],
      [['--server', url, '--game-module', `${gameFile}#ticTacToe`, '--match', full.matchID, '--player', '1'], /seat 1 of match \S+ is taken by "b"; the match is full/],
      [['--server', url, '--game-module', `${gameFile}#ticTacToe`, '--match', full.matchID, '--player', '1', '--credentials', 'not-' + taken.playerCredentials], /403 Invalid credentials.*wrong credentials/],
      [['--server', url, '--game-module', `${gameFile}#refusingClientSide`, '--match', refusing.matchID, '--player', '0'], /server rejected move clickCell:\d of seat 0/],
      [['--server', url, '--game-module', `${gameFile}#nope`, '--create', '--player', '0'], /no boardgame.io Game as export "nope"; exports: .*ticTacToe/],
    ];
    const runs = cases.map(([args]) => runCli(['bot', ...args, ...base]));
    const codes = await Promise.all(runs.map((r) => r.exit));
    cases.forEach(([, message], i) => {
      expect(codes[i], runs[i].stderr).toBe(2);
      const lines = runs[i].stderr.trim().split('\n');
      expect(lines[lines.length - 1]).toMatch(/^arbor: /);
      expect(runs[i].stderr).toMatch(message);
      expect(runs[i].stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  });
});
