import type { Ctx, Game as BgioGame, State as BgioState } from 'boardgame.io';
import { ArborError, createRng, type ActionLayout, type BoardShape, type Game, type State, type Symmetry } from '../core/index.js';
import { combineHash } from '../envs/index.js';
import { bgioInternal } from './bgio.js';

/**
 * boardgame.io Game -> arbor Game, driven through boardgame.io's own reducer.
 *
 * Every `apply` is one reducer step (immer, plugins and turn flow: about 10k steps/s for
 * tic-tac-toe, some 100x slower than a native arbor game), and `hash`/`encode` walk G, so a
 * wrapped game is for running arbor's agents on a user's game as it is; port the rules to a
 * native arbor Game for training at scale.
 *
 * The action space is fixed (arbor's policy heads need that): either `options.actions` lists every
 * move, or it is discovered from random playouts at construction (`discoveryPlayouts`); a move
 * that `ai.enumerate` produces later and that is missing from the space is an ArborError naming it.
 */
export interface BgioMoveDescriptor {
  readonly move?: string;
  readonly event?: string;
  readonly args?: readonly unknown[];
}

export interface FromBoardgameIOOptions {
  /** The arbor id/spec of the wrapped game (default: the boardgame.io name, else `bgio-game`). */
  readonly id?: string;
  /** Players (only 2-player games are supported, like arbor's agents; default 2). */
  readonly numPlayers?: number;
  /** Passed to `setup` as its second argument. */
  readonly setupData?: unknown;
  /** boardgame.io's `game.seed` for the random plugin, so play is reproducible (default `arbor`). */
  readonly seed?: string;
  /** Every move of the game, in action-number order. Without it the space is discovered. */
  readonly actions?: readonly BgioMoveDescriptor[];
  /** Random playouts used to discover the action space when `actions` is not given (default 200). */
  readonly discoveryPlayouts?: number;
  /** Upper bound on moves in a game (default 1000; the conformance kit checks it). */
  readonly maxGameLength?: number;
  /** A game-specific encoding; without it G is hashed into generic planes (see `genericEncoder`). */
  readonly encode?: BgioEncoder;
}

export interface BgioEncoder {
  readonly planes: readonly string[];
  readonly shape: BoardShape;
  /** Writes planes.length * rows * cols floats at `offset`, from `player`'s point of view. */
  write(G: unknown, ctx: Ctx, player: number, out: Float32Array, offset: number): void;
}

type AnyState = BgioState<unknown>;
type Reducer = (state: AnyState, action: unknown) => AnyState;

/** A wrapped game keeps its boardgame.io side so bots can hand states back and forth. */
export interface WrappedBgioGame extends Game {
  readonly bgioGame: BgioGame;
  /** The arbor State for a boardgame.io state (e.g. one a server sent); its history starts there. */
  stateFromBgio(state: AnyState): WrappedBgioState;
  /** The boardgame.io move of an arbor action. */
  moveOf(action: number): BgioMoveDescriptor;
  /** The arbor action of a boardgame.io move, or -1 if it is outside the action space. */
  actionOf(move: BgioMoveDescriptor): number;
}

export interface WrappedBgioState extends State {
  readonly game: WrappedBgioGame;
  /** The current boardgame.io state (immutable; do not modify). */
  readonly bgioState: AnyState;
}

export function isWrappedBgioGame(game: Game): game is WrappedBgioGame {
  return (game as Partial<WrappedBgioGame>).bgioGame !== undefined && typeof (game as Partial<WrappedBgioGame>).stateFromBgio === 'function';
}

/** Label of a move in arbor notation: `clickCell:4`, `drop:3`, `event:endTurn`; no whitespace. */
export function moveLabel(m: BgioMoveDescriptor): string {
  const head = m.event !== undefined ? `event:${m.event}` : String(m.move);
  const args = (m.args ?? []).map((a) => `:${JSON.stringify(a)}`).join('');
  return (head + args).replace(/\s/g, '%20');
}

export function fromBoardgameIO(bgioGame: BgioGame, options: FromBoardgameIOOptions = {}): WrappedBgioGame {
  if (!bgioGame || typeof bgioGame !== 'object') throw new ArborError('fromBoardgameIO: expected a boardgame.io Game object ({ setup, moves, ai: { enumerate } })');
  if (typeof bgioGame.ai?.enumerate !== 'function') {
    throw new ArborError(`fromBoardgameIO: game "${bgioGame.name ?? 'default'}" has no ai.enumerate; add ai: { enumerate: (G, ctx, playerID) => [{ move, args }] } listing the legal moves`);
  }
  const numPlayers = options.numPlayers ?? 2;
  if (numPlayers !== 2) throw new ArborError(`fromBoardgameIO: numPlayers=${numPlayers}; only 2-player games are supported`);
  if ((bgioGame.minPlayers ?? 2) > 2 || (bgioGame.maxPlayers ?? 2) < 2) {
    throw new ArborError(`fromBoardgameIO: game "${bgioGame.name}" does not allow 2 players (minPlayers ${bgioGame.minPlayers}, maxPlayers ${bgioGame.maxPlayers})`);
  }
  return new WrappedGame(bgioGame, { ...options, numPlayers });
}

class WrappedGame implements WrappedBgioGame {
  readonly id: string;
  readonly spec: string;
  readonly params: Readonly<Record<string, number | boolean | string>> = {};
  readonly numPlayers: number;
  readonly numActions: number;
  readonly shape: BoardShape;
  readonly encoding: { readonly planes: readonly string[] };
  readonly actionLayout: ActionLayout;
  readonly symmetries: readonly Symmetry[] = [];
  readonly maxGameLength: number;
  readonly hasTranspositions = false;
  readonly bgioGame: BgioGame;
  readonly reducer: Reducer;
  readonly initial: AnyState;
  readonly encoder: BgioEncoder;
  private readonly labels: string[];
  private readonly moves: BgioMoveDescriptor[];
  private readonly index = new Map<string, number>();

  constructor(userGame: BgioGame, options: FromBoardgameIOOptions & { numPlayers: number }) {
    const { InitializeGame, CreateGameReducer, ProcessGameConfig } = bgioInternal();
    // ProcessGameConfig mutates its argument; work on a copy so the user's object stays theirs.
    this.bgioGame = ProcessGameConfig({ ...userGame, seed: options.seed ?? userGame.seed ?? 'arbor' });
    this.id = options.id ?? (userGame.name && userGame.name !== 'default' ? userGame.name : 'bgio-game');
    this.spec = this.id;
    this.numPlayers = options.numPlayers;
    this.maxGameLength = options.maxGameLength ?? 1000;
    this.reducer = CreateGameReducer({ game: this.bgioGame }) as unknown as Reducer;
    try {
      this.initial = InitializeGame({ game: this.bgioGame, numPlayers: this.numPlayers, setupData: options.setupData }) as AnyState;
    } catch (e) {
      throw new ArborError(`fromBoardgameIO: setting up "${this.id}" failed: ${(e as Error).message}`);
    }
    const moves = options.actions ? [...options.actions] : this.discover(options.discoveryPlayouts ?? 200, options.seed ?? 'arbor');
    const byLabel = new Map<string, BgioMoveDescriptor>();
    for (const m of moves) byLabel.set(moveLabel(m), m);
    this.labels = options.actions ? moves.map(moveLabel) : [...byLabel.keys()].sort();
    if (new Set(this.labels).size !== this.labels.length) throw new ArborError(`fromBoardgameIO: options.actions lists a move twice`);
    if (this.labels.length === 0) throw new ArborError(`fromBoardgameIO: "${this.id}" has no moves (ai.enumerate returned nothing at the start)`);
    this.moves = this.labels.map((l) => byLabel.get(l)!);
    this.labels.forEach((l, i) => this.index.set(l, i));
    this.numActions = this.labels.length;
    this.actionLayout = { planes: [], globals: this.labels };
    this.encoder = options.encode ?? genericEncoder(this.initial.G, this.numPlayers);
    this.shape = this.encoder.shape;
    this.encoding = { planes: this.encoder.planes };
  }

  /** Collects every move `ai.enumerate` offers along random playouts (seeded, so repeatable). */
  private discover(playouts: number, seed: string): BgioMoveDescriptor[] {
    const rng = createRng(`${seed}/discover`);
    const seen = new Map<string, BgioMoveDescriptor>();
    for (let p = 0; p < playouts; p++) {
      let state = this.initial;
      for (let step = 0; step < (this.maxGameLength ?? 1000) && state.ctx.gameover === undefined; step++) {
        const player = activePlayerOf(state.ctx);
        const list = this.enumerate(state, player);
        if (list.length === 0) break;
        for (const m of list) {
          const label = moveLabel(m);
          if (!seen.has(label)) seen.set(label, m);
        }
        const next = this.reducer(state, bgioActionOf(list[rng.int(list.length)], player));
        if (next._stateID === state._stateID) break;
        state = next;
      }
    }
    return [...seen.values()];
  }

  enumerate(state: AnyState, player: string): BgioMoveDescriptor[] {
    const list = this.bgioGame.ai!.enumerate(state.G, state.ctx, player) as BgioMoveDescriptor[];
    return Array.isArray(list) ? list : [];
  }

  newInitialState(): WrappedState {
    return new WrappedState(this, this.initial);
  }
  stateFromBgio(state: AnyState): WrappedState {
    if (!state || typeof state !== 'object' || !state.ctx) throw new ArborError(`${this.id}: not a boardgame.io state (no ctx)`);
    return new WrappedState(this, state);
  }
  moveOf(action: number): BgioMoveDescriptor {
    const m = this.moves[action];
    if (!m) throw new ArborError(`${this.id}: action ${action} is outside 0..${this.numActions - 1}`);
    return m;
  }
  actionOf(move: BgioMoveDescriptor): number {
    return this.index.get(moveLabel(move)) ?? -1;
  }
  actionToString(action: number): string {
    return this.labels[action] ?? String(action);
  }
  parseAction(text: string): number {
    const a = this.index.get(text.trim());
    if (a === undefined) {
      const sample = this.labels.slice(0, 8).join(' ');
      throw new ArborError(`${this.id}: "${text}" is not a move; moves are written like ${sample}${this.labels.length > 8 ? ' ...' : ''}`);
    }
    return a;
  }
  parseState(moves: string): WrappedState {
    const state = this.newInitialState();
    const tokens = moves.trim() === '' ? [] : moves.trim().split(/\s+/);
    tokens.forEach((t, i) => {
      const a = this.parseAction(t);
      if (!state.isLegal(a)) throw new ArborError(`${this.id}: move ${i + 1} "${t}" is illegal in that position`);
      state.apply(a);
    });
    return state;
  }
  formatMoves(actions: ArrayLike<number>): string {
    return Array.from(actions, (a) => this.actionToString(a)).join(' ');
  }
}

/** The player boardgame.io's own MCTSBot would move for: the first active player, else currentPlayer. */
export function activePlayerOf(ctx: Ctx): string {
  return ctx.activePlayers ? Object.keys(ctx.activePlayers)[0] : ctx.currentPlayer;
}

/** The boardgame.io action (as a bot returns it) for a move descriptor. */
export function bgioActionOf(m: BgioMoveDescriptor, playerID: string) {
  const args = m.args ? [...m.args] : [];
  return m.event !== undefined
    ? { type: 'GAME_EVENT' as const, payload: { type: m.event, args, playerID } }
    : { type: 'MAKE_MOVE' as const, payload: { type: m.move as string, args, playerID } };
}

class WrappedState implements WrappedBgioState {
  readonly game: WrappedGame;
  bgioState: AnyState;
  private history: number[] = [];
  /** Legal actions of this position, ascending (computed on first use; shared by clones). */
  private legal: Int32Array | null = null;

  constructor(game: WrappedGame, state: AnyState) {
    this.game = game;
    this.bgioState = state;
  }

  private legalList(): Int32Array {
    if (this.legal) return this.legal;
    const s = this.bgioState;
    if (s.ctx.gameover !== undefined) return (this.legal = new Int32Array(0));
    const list = this.game.enumerate(s, activePlayerOf(s.ctx));
    const out = new Int32Array(list.length);
    let n = 0;
    for (const m of list) {
      const a = this.game.actionOf(m);
      if (a < 0) {
        throw new ArborError(`${this.game.id}: ai.enumerate offered "${moveLabel(m)}", which is not in the action space; pass fromBoardgameIO(game, { actions: [...] }) listing every move`);
      }
      out[n++] = a;
    }
    out.sort();
    // Drop duplicates (enumerate may list a move twice).
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || out[i] !== out[i - 1]) out[k++] = out[i];
    return (this.legal = out.slice(0, k));
  }

  currentPlayer(): number {
    return this.isTerminal() ? -1 : Number(activePlayerOf(this.bgioState.ctx));
  }
  legalActions(out: Int32Array): number {
    const legal = this.legalList();
    out.set(legal);
    return legal.length;
  }
  legalMask(out: Uint8Array): void {
    out.fill(0);
    for (const a of this.legalList()) out[a] = 1;
  }
  isLegal(action: number): boolean {
    if (!Number.isInteger(action)) return false;
    const legal = this.legalList();
    for (let i = 0; i < legal.length; i++) if (legal[i] === action) return true;
    return false;
  }
  apply(action: number): void {
    if (!this.isLegal(action)) {
      throw new ArborError(`${this.game.id}: illegal move ${this.game.actionToString(action)}${this.isTerminal() ? ' (the game is over)' : ''}`);
    }
    const player = activePlayerOf(this.bgioState.ctx);
    const next = this.game.reducer(this.bgioState, bgioActionOf(this.game.moveOf(action), player));
    if (next._stateID === this.bgioState._stateID) {
      const error = (next as { transients?: { error?: { type?: string } } }).transients?.error?.type ?? 'no change';
      throw new ArborError(`${this.game.id}: the game rejected ${this.game.actionToString(action)} (${error}) although ai.enumerate listed it; make enumerate list only valid moves`);
    }
    this.bgioState = next;
    this.history.push(action);
    this.legal = null;
  }
  clone(): WrappedState {
    const c = new WrappedState(this.game, this.bgioState);
    c.copyFrom(this);
    return c;
  }
  copyFrom(other: State): void {
    const o = other as WrappedState;
    this.bgioState = o.bgioState;
    this.history = o.history.slice();
    this.legal = o.legal;
  }
  /** Over when boardgame.io says so, or when the player to move has nothing to play. */
  isTerminal(): boolean {
    return this.bgioState.ctx.gameover !== undefined || this.legalList().length === 0;
  }
  /** +1 for `{winner: p}`, -1 for another winner, 0 for a draw, no winner or a stuck game. */
  returnOf(player: number): number {
    const over = this.bgioState.ctx.gameover as { winner?: unknown } | undefined;
    if (over === undefined || over === null || typeof over !== 'object' || over.winner === undefined) return 0;
    return String(over.winner) === String(player) ? 1 : -1;
  }
  moveNumber(): number {
    return this.history.length;
  }
  actionAt(i: number): number {
    return this.history[i];
  }
  encode(out: Float32Array, offset: number): void {
    const player = this.isTerminal() ? 0 : this.currentPlayer();
    this.game.encoder.write(this.bgioState.G, this.bgioState.ctx, player, out, offset);
  }
  /** FNV-1a (two 32-bit lanes) over G, the player to move, the phase and the active players. */
  hash(): number {
    const { G, ctx } = this.bgioState;
    const text = JSON.stringify([G, ctx.currentPlayer, ctx.phase, ctx.activePlayers, ctx.gameover ?? null]) ?? '';
    let lo = 0x811c9dc5;
    let hi = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      lo = Math.imul(lo ^ c, 0x01000193);
      hi = Math.imul(hi ^ c ^ (lo >>> 13), 0x5bd1e995);
    }
    return combineHash(lo, hi);
  }
  toMoveString(): string {
    return this.game.formatMoves(this.history);
  }
  toString(): string {
    const { G, ctx } = this.bgioState;
    const status = ctx.gameover !== undefined ? `gameover ${JSON.stringify(ctx.gameover)}` : `player ${activePlayerOf(ctx)} to move`;
    return `${JSON.stringify(G)}\n${status}`;
  }
}

/**
 * The fallback encoding: the leaves of G (numbers, strings, booleans, null), in walk order, are
 * the cells of a 1 x K board, K = the number of leaves in the initial G (later leaves fold onto
 * cell i mod K). Planes: `own:piece` (the leaf is the mover's playerID, as in the usual
 * `cells[i] = playerID` boards), `opp:piece` (another player's ID), `value` (any other non-empty
 * leaf: numbers squashed to (-1, 1), strings hashed to (0, 1]) and `cell:exists`. Generic and
 * slower than a game's own encoding: pass `options.encode` to do better.
 */
export function genericEncoder(initialG: unknown, numPlayers: number): BgioEncoder {
  let k = 0;
  walkLeaves(initialG, () => {
    k++;
  });
  const cols = Math.max(1, k);
  const ids = Array.from({ length: numPlayers }, (_, p) => String(p));
  return {
    planes: ['own:piece', 'opp:piece', 'value', 'cell:exists'],
    shape: { rows: 1, cols },
    write(G, _ctx, player, out, offset) {
      out.fill(0, offset, offset + 3 * cols);
      out.fill(1, offset + 3 * cols, offset + 4 * cols);
      const own = String(player);
      let i = 0;
      walkLeaves(G, (leaf) => {
        const cell = i++ % cols;
        if (leaf === own) out[offset + cell] = 1;
        else if (typeof leaf === 'string' && ids.includes(leaf)) out[offset + cols + cell] = 1;
        else if (typeof leaf === 'number') out[offset + 2 * cols + cell] = leaf / (1 + Math.abs(leaf));
        else if (typeof leaf === 'boolean') out[offset + 2 * cols + cell] = leaf ? 1 : 0;
        else if (typeof leaf === 'string') out[offset + 2 * cols + cell] = stringUnit(leaf);
      });
    },
  };
}

function walkLeaves(value: unknown, visit: (leaf: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walkLeaves(v, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) walkLeaves((value as Record<string, unknown>)[key], visit);
  } else {
    visit(value);
  }
}

/** A string hashed into (0, 1]. */
function stringUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 1000 + 1) / 1000;
}
