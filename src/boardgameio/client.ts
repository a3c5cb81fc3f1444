import type { Game as BgioGame, State as BgioState } from 'boardgame.io';
import type { LobbyClient as LobbyClientType } from 'boardgame.io/client';
import { createAgent, type Agent, ArborError } from '../core/index.js';
import { adapterFor, type BgioAdapter } from './adapter.js';
import { bgioClient, bgioMultiplayer } from './bgio.js';
import { activePlayerOf, moveLabel, type FromBoardgameIOOptions } from './from-bgio.js';

/**
 * A networked arbor bot: joins a match on a boardgame.io server through the lobby API, plays
 * through boardgame.io's SocketIO client, and returns when the game ends.
 *
 * boardgame.io 0.50.2 has no networked-bot feature (issue #383), and its server drops bad moves
 * silently (#723), so the protocol here is arbor's own:
 * - it decides only on states the server sent (`SYNC`/`UPDATE`/`PATCH`, caught by a store
 *   enhancer), never on the client's optimistic state, which still looks like our turn right after
 *   our own move (#218) — so a normal game sends no duplicate or rejected move;
 * - every move must be confirmed by a server state with a higher `_stateID` within `confirmMs`;
 *   otherwise the server rejected it and the bot stops with an error naming the move;
 * - socket.io reconnects by itself and boardgame.io re-syncs on connect; a move lost in the drop
 *   is replayed from the re-synced state; a disconnection longer than `reconnectMs` is an error.
 * Every wait is bounded.
 */
export interface NetworkedBotOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8000`. */
  readonly server: string;
  readonly game: BgioGame;
  /** Agent spec, e.g. `greedy` or `uct:simulations=2000`. */
  readonly agent: string;
  /** The seat to take ('0', '1', ...). */
  readonly playerID: string;
  /** Join this match; or `create` a new listed 2-player match. */
  readonly matchID?: string;
  readonly create?: boolean;
  /** Credentials of a seat joined earlier (skips the join; checked through the lobby first). */
  readonly credentials?: string;
  readonly playerName?: string;
  readonly seed?: string;
  readonly moveTimeMs?: number;
  readonly wrap?: FromBoardgameIOOptions;
  readonly timeouts?: Partial<NetworkedBotTimeouts>;
  /** Progress lines (joins, moves, reconnects); default: nothing. */
  readonly log?: (line: string) => void;
  /** Aborting stops the bot (it then resolves with `result: null`). */
  readonly signal?: AbortSignal;
}

export interface NetworkedBotTimeouts {
  /** Each lobby HTTP request. */
  readonly requestMs: number;
  /** From socket start to the first state from the server. */
  readonly connectMs: number;
  /** From sending a move to the server's state that includes it. */
  readonly confirmMs: number;
  /** How long a dropped connection may stay down. */
  readonly reconnectMs: number;
}

export const DEFAULT_TIMEOUTS: NetworkedBotTimeouts = { requestMs: 10_000, connectMs: 15_000, confirmMs: 10_000, reconnectMs: 30_000 };

export interface NetworkedBotResult {
  /** `ctx.gameover` of the finished match (null if the bot was stopped first). */
  readonly result: unknown;
  readonly matchID: string;
  readonly playerID: string;
  /** Moves this bot made. */
  readonly moves: number;
}

export interface Seat {
  readonly matchID: string;
  readonly playerID: string;
  readonly credentials: string;
}

/** Lobby part: find (or create) the match and take the seat, with clear errors for every refusal. */
export async function joinSeat(options: NetworkedBotOptions): Promise<Seat> {
  const { LobbyClient } = bgioClient();
  const server = options.server.replace(/\/+$/, '');
  const requestMs = options.timeouts?.requestMs ?? DEFAULT_TIMEOUTS.requestMs;
  const lobby: LobbyClientType = new LobbyClient({ server });
  const name = options.game.name ?? 'default';
  const call = async <T>(what: string, fn: (init: RequestInit) => Promise<T>): Promise<T> => {
    try {
      return await fn({ signal: AbortSignal.timeout(requestMs) });
    } catch (e) {
      throw lobbyError(e, what, server, requestMs);
    }
  };
  const games = await call('listing games', (init) => lobby.listGames(init));
  if (!games.includes(name)) {
    throw new ArborError(`the server at ${server} does not host game "${name}"; it hosts: ${games.join(', ') || '(nothing)'}`);
  }
  let matchID = options.matchID;
  if (options.create) {
    if (matchID) throw new ArborError('give either --match ID or --create, not both');
    matchID = (await call('creating a match', (init) => lobby.createMatch(name, { numPlayers: 2 }, init))).matchID;
    options.log?.(`created match ${matchID}`);
  }
  if (!matchID) throw new ArborError('no match: give --match ID (join an existing match) or --create (make a new one)');
  const match = await call(`reading match ${matchID}`, (init) => lobby.getMatch(name, matchID!, init));
  const seat = match.players.find((p) => String(p.id) === String(options.playerID));
  if (!seat) {
    throw new ArborError(`match ${matchID} has no seat ${options.playerID}; seats are ${match.players.map((p) => p.id).join(', ')}`);
  }
  if (options.credentials !== undefined) {
    // Renaming a seat to its own name changes nothing but checks the credentials (403 if wrong).
    await call(`checking the credentials of seat ${options.playerID}`, (init) =>
      lobby.updatePlayer(name, matchID!, { playerID: options.playerID, credentials: options.credentials!, newName: seat.name ?? options.playerName ?? 'arbor' }, init),
    );
    return { matchID, playerID: options.playerID, credentials: options.credentials };
  }
  if (seat.name !== undefined) {
    const free = match.players.filter((p) => p.name === undefined).map((p) => p.id);
    throw new ArborError(
      `seat ${options.playerID} of match ${matchID} is taken by "${seat.name}"; ${free.length ? `free seats: ${free.join(', ')}` : 'the match is full'} (or pass --credentials for a seat you joined before)`,
    );
  }
  const joined = await call(`joining match ${matchID} as seat ${options.playerID}`, (init) =>
    lobby.joinMatch(name, matchID!, { playerID: options.playerID, playerName: options.playerName ?? `arbor ${options.agent}` }, init),
  );
  options.log?.(`joined match ${matchID} as seat ${joined.playerID}`);
  return { matchID, playerID: joined.playerID, credentials: joined.playerCredentials };
}

function lobbyError(e: unknown, what: string, server: string, requestMs: number): ArborError {
  if (e instanceof ArborError) return e;
  const err = e as Error & { details?: unknown; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new ArborError(`no answer from ${server} within ${requestMs} ms while ${what}; is it a boardgame.io server?`);
  }
  if (err.name === 'LobbyClientError' || /^HTTP status/.test(err.message)) {
    const details = typeof err.details === 'string' ? err.details : JSON.stringify(err.details);
    const status = Number(/(\d{3})/.exec(err.message)?.[1]);
    const hint =
      status === 404 ? ' (no such match or seat, or the lobby API is off: check --match, or the koa-compose 4.1.0 override)'
      : status === 409 ? ' (the seat is taken or the match is full: choose another --player or --match, or --create)'
      : status === 403 ? ' (wrong credentials: use the credentials the join returned)'
      : '';
    return new ArborError(`the server at ${server} refused ${what}: ${err.message}${details ? ` ${details}` : ''}${hint}`);
  }
  const code = err.cause?.code ?? err.cause?.message ?? err.message;
  return new ArborError(`cannot reach the boardgame.io server at ${server} (${code}) while ${what}; start it or fix --server`);
}

/** Joins (unless given credentials), plays the match to its end, and resolves with the result. */
export async function runNetworkedBot(options: NetworkedBotOptions): Promise<NetworkedBotResult> {
  if (!/^[0-9]+$/.test(options.playerID)) throw new ArborError(`--player ${options.playerID}: a seat is a number such as 0 or 1`);
  const adapter = adapterFor(options.game, options.wrap);
  const agent = await createAgent(options.agent, { game: adapter.game, seed: options.seed ?? `bot/${options.playerID}` });
  const seat = await joinSeat(options);
  try {
    return await playSeat(options, seat, adapter, agent);
  } finally {
    await agent.close?.();
  }
}

/** Socket part: plays an already-joined seat to the end of the match. */
export function playSeat(options: NetworkedBotOptions, seat: Seat, adapter: BgioAdapter, agent: Agent): Promise<NetworkedBotResult> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const { Client } = bgioClient();
  const { SocketIO } = bgioMultiplayer();
  const log = options.log ?? (() => {});
  const { matchID, playerID } = seat;

  return new Promise<NetworkedBotResult>((resolvePromise, rejectPromise) => {
    let finished = false;
    let moves = 0;
    let lastServerState: BgioState | null = null;
    /** The server state we last decided on (one decision per state). */
    let decidedStateID = -1;
    let pending: { stateID: number; label: string; timer: NodeJS.Timeout } | null = null;
    let downTimer: NodeJS.Timeout | null = null;
    let wasConnected = false;
    const connectTimer = setTimeout(() => fail(new ArborError(`no game state from ${options.server} within ${timeouts.connectMs} ms of connecting to match ${matchID}`)), timeouts.connectMs);

    // Sees every action the store applies; server-originated ones carry `clientOnly` and a type
    // of SYNC/UPDATE/PATCH. Decisions are deferred so we never dispatch from inside a dispatch.
    const enhancer = (createStore: (...a: unknown[]) => { dispatch: (a: unknown) => unknown; getState: () => BgioState }) =>
      (...args: unknown[]) => {
        const store = createStore(...args);
        const dispatch = (action: { type?: string; state?: BgioState }) => {
          const result = store.dispatch(action);
          if (action && (action.type === 'SYNC' || action.type === 'UPDATE' || action.type === 'PATCH')) {
            const state = action.type === 'PATCH' ? store.getState() : action.state;
            if (state) setImmediate(() => onServerState(state, action.type!));
          }
          return result;
        };
        return { ...store, dispatch };
      };

    const client = Client({
      game: options.game,
      matchID,
      playerID,
      credentials: seat.credentials,
      debug: false,
      enhancer: enhancer as never,
      multiplayer: SocketIO({ server: options.server, socketOpts: { transports: ['websocket'], reconnectionDelayMax: 2000 } }),
    });
    const unsubscribe = client.subscribe((s) => {
      if (!s || finished) return;
      if (s.isConnected && !wasConnected) {
        if (downTimer) {
          clearTimeout(downTimer);
          downTimer = null;
          log('reconnected');
        }
        wasConnected = true;
      } else if (!s.isConnected && wasConnected) {
        wasConnected = false;
        log('connection lost; reconnecting');
        downTimer = setTimeout(() => fail(new ArborError(`lost the connection to ${options.server} for more than ${timeouts.reconnectMs} ms`)), timeouts.reconnectMs);
      }
    });
    const onAbort = () => finish(null);
    options.signal?.addEventListener('abort', onAbort);
    client.start();
    // socket.io reconnects by itself after network drops, but not after the server closed the
    // socket ("io server disconnect", e.g. a server restart or an admin kick): reconnect then too.
    const socket = (client as unknown as { transport?: { socket?: { on(e: string, f: (reason: string) => void): void; connect(): void } } }).transport?.socket;
    socket?.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && !finished) setTimeout(() => !finished && socket.connect(), 250);
    });

    function cleanup(): void {
      finished = true;
      clearTimeout(connectTimer);
      if (pending) clearTimeout(pending.timer);
      if (downTimer) clearTimeout(downTimer);
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      client.stop();
    }
    function finish(result: unknown): void {
      if (finished) return;
      cleanup();
      resolvePromise({ result, matchID, playerID, moves });
    }
    function fail(error: Error): void {
      if (finished) return;
      cleanup();
      rejectPromise(error);
    }

    function onServerState(state: BgioState, type: string): void {
      if (finished) return;
      clearTimeout(connectTimer);
      if (lastServerState && state._stateID < lastServerState._stateID) return; // stale
      lastServerState = state;
      if (pending) {
        if (state._stateID > pending.stateID) {
          clearTimeout(pending.timer);
          pending = null;
        } else if (type === 'SYNC') {
          // A re-sync after a reconnect that does not include our move: it was lost; decide again.
          clearTimeout(pending.timer);
          pending = null;
          decidedStateID = -1;
        } else {
          return;
        }
      }
      if (state.ctx.gameover !== undefined) {
        finish(state.ctx.gameover);
        return;
      }
      if (!isMyTurn(state) || decidedStateID === state._stateID) return;
      decidedStateID = state._stateID;
      void decide(state).catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
    }

    function isMyTurn(state: BgioState): boolean {
      const { ctx } = state;
      return ctx.activePlayers ? playerID in ctx.activePlayers : ctx.currentPlayer === playerID;
    }

    async function decide(state: BgioState): Promise<void> {
      const position = adapter.stateOf(state);
      if (position.isTerminal()) return;
      if (String(position.currentPlayer()) !== playerID && activePlayerOf(state.ctx) !== playerID) return;
      const action = await agent.selectAction(position, options.moveTimeMs !== undefined ? { moveTimeMs: options.moveTimeMs } : undefined);
      // A newer server state arrived while thinking: that state decides.
      if (finished || lastServerState !== state) return;
      const move = adapter.moveOf(action);
      const label = moveLabel(move);
      const args = move.args ? [...move.args] : [];
      const dispatch = move.event !== undefined ? client.events[move.event as keyof typeof client.events] : client.moves[move.move as string];
      if (typeof dispatch !== 'function') throw new ArborError(`the client has no ${move.event !== undefined ? 'event' : 'move'} "${move.event ?? move.move}" (game "${options.game.name}")`);
      pending = {
        stateID: state._stateID,
        label,
        timer: setTimeout(() => {
          fail(new ArborError(`the server rejected move ${label} of seat ${playerID} in match ${matchID} (no confirmation within ${timeouts.confirmMs} ms): wrong credentials, not this seat's turn, or a move the game refuses`));
        }, timeouts.confirmMs),
      };
      moves++;
      log(`move ${label}`);
      (dispatch as (...a: unknown[]) => void)(...args);
    }
  });
}
