import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Game as BgioGame } from 'boardgame.io';
import { createAgent, validateAgentSpec, ArborError } from '../core/index.js';
import { adapterFor } from './adapter.js';
import { bgioClient, bgioServer } from './bgio.js';
import { playSeat, type NetworkedBotResult } from './client.js';

/**
 * `arbor serve`: a boardgame.io server hosting arbor games, bound to one interface (127.0.0.1 by
 * default; boardgame.io's own `Server.run(port)` listens on every interface), with the lobby API
 * and optional resident bots.
 *
 * A resident bot for seat N joins every match created through the lobby at seat N, through the
 * lobby like any player, before the create request returns — so the creator can take the other
 * seat at once — and then plays it over a socket like `arbor bot` does.
 */
export interface ArborServerOptions {
  readonly games: readonly BgioGame[];
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** Seat -> agent spec, e.g. `{ '1': 'greedy' }`. */
  readonly bots?: Readonly<Record<string, string>>;
  /** Progress lines (matches, bot results, bot errors). */
  readonly log?: (line: string) => void;
}

export interface RunningArborServer {
  readonly url: string;
  readonly port: number;
  readonly games: readonly string[];
  /** Results of the resident bots' finished games, newest last. */
  readonly botResults: NetworkedBotResult[];
  stop(): Promise<void>;
}

/** Parses `--bots "1=greedy;0=uct:simulations=500"` into seat -> spec (checking each spec). */
export function parseBotsOption(text: string): Record<string, string> {
  const bots: Record<string, string> = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const seat = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!/^[0-9]+$/.test(seat)) throw new ArborError(`--bots: "${part}" is not SEAT=AGENT (e.g. 1=greedy; separate several with ';')`);
    if (bots[seat]) throw new ArborError(`--bots: seat ${seat} is given twice`);
    const spec = part.slice(eq + 1).trim();
    validateAgentSpec(spec);
    bots[seat] = spec;
  }
  return bots;
}

export async function startArborServer(options: ArborServerOptions): Promise<RunningArborServer> {
  const { Server, Origins } = bgioServer();
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const bots = options.bots ?? {};
  for (const spec of Object.values(bots)) validateAgentSpec(spec);
  const names = options.games.map((g) => g.name ?? 'default');
  if (new Set(names).size !== names.length) throw new ArborError(`two games share a name (${names.join(', ')}); host each game once`);
  const byName = new Map(options.games.map((g) => [g.name ?? 'default', g]));

  const server = Server({ games: [...options.games], origins: [Origins.LOCALHOST, /127\.0\.0\.1:\d+/] });
  const controllers = new Set<AbortController>();
  const running = new Set<Promise<unknown>>();
  const botResults: NetworkedBotResult[] = [];
  let url = '';

  // koa-socket-2 made the http server in Server(); boardgame.io's run() calls app.listen(port), which
  // it patches to app.server.listen(port): bind the host here instead of on every interface.
  const app = server.app as unknown as { listen: (...a: unknown[]) => HttpServer; server: HttpServer; use: (mw: unknown) => void };
  let onListenError: (e: Error) => void = () => {};
  const listenFailed = new Promise<never>((_, reject) => {
    onListenError = reject;
  });
  app.listen = (port: unknown, callback: unknown) => {
    app.server.once('error', onListenError);
    return app.server.listen(port as number, host, callback as () => void);
  };

  // Runs around the lobby router (added later by run(); koa-compose 4.1.0 composes the live list).
  app.use(async (ctx: { method: string; path: string; status: number; body: unknown }, next: () => Promise<void>) => {
    await next();
    const m = /^\/games\/([^/]+)\/create\/?$/.exec(ctx.path);
    if (ctx.method !== 'POST' || !m || ctx.status !== 200) return;
    const game = byName.get(decodeURIComponent(m[1]));
    const matchID = (ctx.body as { matchID?: string } | undefined)?.matchID;
    if (game && matchID) await seatResidentBots(game, matchID);
  });

  async function seatResidentBots(game: BgioGame, matchID: string): Promise<void> {
    const { LobbyClient } = bgioClient();
    const lobby = new LobbyClient({ server: url });
    for (const [seat, spec] of Object.entries(bots)) {
      try {
        const match = await lobby.getMatch(game.name!, matchID, { signal: AbortSignal.timeout(5000) });
        if (!match.players.some((p) => String(p.id) === seat)) continue;
        const joined = await lobby.joinMatch(game.name!, matchID, { playerID: seat, playerName: `arbor ${spec}` }, { signal: AbortSignal.timeout(5000) });
        const adapter = adapterFor(game);
        const agent = await createAgent(spec, { game: adapter.game, seed: `serve/${matchID}/${seat}` });
        const controller = new AbortController();
        controllers.add(controller);
        log(`match ${matchID} (${game.name}): ${spec} joined seat ${seat}`);
        const play = playSeat(
          { server: url, game, agent: spec, playerID: seat, signal: controller.signal, timeouts: { connectMs: 15_000, reconnectMs: 30_000 } },
          { matchID, playerID: seat, credentials: joined.playerCredentials },
          adapter,
          agent,
        )
          .then((r) => {
            if (r.result !== null) {
              botResults.push(r);
              log(`match ${matchID} (${game.name}): over, ${JSON.stringify(r.result)}`);
            }
          })
          .catch((e: unknown) => log(`match ${matchID}: resident bot at seat ${seat} stopped: ${(e as Error).message}`))
          .finally(() => {
            controllers.delete(controller);
            running.delete(play);
            void agent.close?.();
          });
        running.add(play);
      } catch (e) {
        log(`match ${matchID}: resident bot ${spec} could not join seat ${seat}: ${(e as Error).message}`);
      }
    }
  }

  let servers: Awaited<ReturnType<typeof server.run>>;
  try {
    servers = await Promise.race([server.run({ port: options.port }), listenFailed]);
  } catch (e) {
    throw new ArborError(`cannot listen on ${host}:${options.port}: ${(e as Error).message}`);
  }
  const address = servers.appServer.address() as AddressInfo;
  url = `http://${host}:${address.port}`;

  return {
    url,
    port: address.port,
    games: names,
    botResults,
    async stop() {
      for (const c of controllers) c.abort();
      await Promise.allSettled([...running]);
      await new Promise<void>((resolve) => {
        servers.appServer.close(() => resolve());
        // Open sockets from clients that never left would keep close() waiting.
        (servers.appServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
