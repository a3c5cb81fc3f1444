import { createGame, type GameDefinition } from './registry.js';
import { conformanceSpecs } from './conformance.js';
import { createRng, type Game, type State } from '../core/index.js';

/**
 * Golden playthroughs, after OpenSpiel's integration_tests/playthroughs: a few seeded random
 * games of one game spec written out state by state (moves so far, board, player to move,
 * legal moves in notation, a checksum of the encoded planes, the Zobrist hash, whether the game
 * is over, and the returns at the end) as text a person can read. Recorded once from code known
 * to be right and compared line by line later, they turn any change of the rules, the notation,
 * the encoding or the hashing into a named first differing line.
 */
export interface PlaythroughOptions {
  /** Random games recorded (each from its own seed). */
  games?: number;
  /** Game g (1-based) is played from the stream `${seed}/${g}`. */
  seed?: string;
}

export const DEFAULT_PLAYTHROUGH_GAMES = 3;

/** Candidate seeds tried by `defaultPlaythroughSeed` before it settles for the first. */
const SEED_TRIES = 200;

/**
 * The seed a golden playthrough is recorded with unless told otherwise. Random play seldom
 * passes or swaps, yet these global actions are where rules are most special; so this is the
 * first of `playthrough/SPEC`, `playthrough/SPEC~1`, `playthrough/SPEC~2`, ... under which the
 * `games` recorded games play every global action at least once (the first candidate if none
 * of them does). Deterministic, so a test finds the same seed again.
 */
export function defaultPlaythroughSeed(game: Game, games: number = DEFAULT_PLAYTHROUGH_GAMES): string {
  const candidate = (i: number) => (i === 0 ? `playthrough/${game.spec}` : `playthrough/${game.spec}~${i}`);
  const firstGlobal = game.numActions - game.actionLayout.globals.length;
  if (firstGlobal === game.numActions) return candidate(0);
  const actions = new Int32Array(game.numActions);
  for (let i = 0; i < SEED_TRIES; i++) {
    const played = new Set<number>();
    for (let g = 1; g <= games; g++) {
      const rng = createRng(`${candidate(i)}/${g}`);
      const state = game.newInitialState();
      while (!state.isTerminal()) {
        const action = actions[rng.int(state.legalActions(actions))];
        if (action >= firstGlobal) played.add(action);
        state.apply(action);
      }
    }
    if (played.size === game.numActions - firstGlobal) return candidate(i);
  }
  return candidate(0);
}

/**
 * The specs that get a golden playthrough: each game's default and those of its variants whose
 * board has no more cells than the default's (larger boards would make long files that check
 * the same rules again).
 */
export function playthroughSpecs(definitions: readonly GameDefinition[]): string[] {
  const specs: string[] = [];
  for (const def of definitions) {
    const [defaultSpec, ...variants] = conformanceSpecs(def);
    specs.push(defaultSpec);
    const cells = cellsOf(createGame(defaultSpec));
    for (const variant of variants) if (cellsOf(createGame(variant)) <= cells) specs.push(variant);
  }
  return specs;
}

function cellsOf(game: Game): number {
  return game.shape.rows * game.shape.cols;
}

/** A file name for a spec that every file system accepts (no ':'): `hex_size=5_swap=true.txt`. */
export function playthroughFileName(spec: string): string {
  return `${spec.replace(/[:,]/g, '_')}.txt`;
}

/** Plays and records `games` seeded random games of `game`; the text ends with a newline. */
export function recordPlaythrough(game: Game, options: PlaythroughOptions = {}): string {
  const games = options.games ?? DEFAULT_PLAYTHROUGH_GAMES;
  const seed = options.seed ?? defaultPlaythroughSeed(game, games);
  const lines: string[] = [
    `# Golden playthrough of ${game.spec}: ${games} seeded random games, every state along them.`,
    '# Recorded from code whose rules and encoding were checked; a test replays it line by line.',
    '# If a change to the rules, notation or encoding is intended, record again: npm run make-playthroughs',
    ...describeGame(game),
    `seed: ${seed}`,
  ];
  const actions = new Int32Array(game.numActions);
  const planes = new Float32Array(game.encoding.planes.length * cellsOf(game));
  for (let g = 1; g <= games; g++) {
    const gameSeed = `${seed}/${g}`;
    const rng = createRng(gameSeed);
    const state = game.newInitialState();
    lines.push('', `## game ${g} of ${games} (seed ${gameSeed})`);
    for (;;) {
      const n = state.legalActions(actions);
      lines.push('', ...describeState(state, actions, n, planes));
      if (state.isTerminal()) break;
      const action = actions[rng.int(n)];
      lines.push(`play: ${game.actionToString(action)} (action ${action})`);
      state.apply(action);
    }
    const returns = Array.from({ length: game.numPlayers }, (_, p) => state.returnOf(p));
    lines.push(`returns: ${returns.join(' ')}`, `final moves: ${state.toMoveString()}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The game's static facts: what a network, a policy head or a symmetry augmenter relies on. */
function describeGame(game: Game): string[] {
  const { rows, cols } = game.shape;
  const actionPlanes = game.actionLayout.planes.map((p) => `${p.name}(${p.extent})`);
  return [
    `game: ${game.spec}`,
    `id: ${game.id}`,
    `params: ${JSON.stringify(game.params)}`,
    `players: ${game.numPlayers}`,
    `shape: ${rows}x${cols}`,
    `actions: ${game.numActions}; planes ${actionPlanes.join(' ') || '(none)'}; globals ${game.actionLayout.globals.join(' ') || '(none)'}`,
    `encoding planes: ${game.encoding.planes.join(' ')}`,
    `symmetries: ${game.symmetries.map((s) => s.name).join(' ') || '(none)'}`,
    `max game length: ${game.maxGameLength}`,
    `transpositions: ${game.hasTranspositions}`,
  ];
}

function describeState(state: State, actions: Int32Array, n: number, planes: Float32Array): string[] {
  const game = state.game;
  const legal: string[] = [];
  for (let i = 0; i < n; i++) legal.push(game.actionToString(actions[i]));
  state.encode(planes, 0);
  return [
    `### ply ${state.moveNumber()}`,
    `moves: ${state.toMoveString() || '(none)'}`,
    'board:',
    // A bar before each board line keeps its leading spaces visible and safe from editors.
    ...state.toString().split('\n').map((line) => `  |${line}`),
    `to move: ${state.currentPlayer()}`,
    `legal (${n}): ${legal.join(' ') || '(none)'}`,
    `encoding: ${encodingChecksum(game.encoding.planes, planes)}; non-zero cells ${planeCounts(game, planes)}`,
    `hash: ${state.hash()}`,
    `terminal: ${state.isTerminal()}`,
  ];
}

/**
 * FNV-1a (32-bit) over the plane names and the bit pattern of every encoded float. The floats
 * are read as 32-bit integers and fed low byte first, so the sum is the same on any byte order.
 */
export function encodingChecksum(names: readonly string[], planes: Float32Array): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h = Math.imul(h ^ byte, 0x01000193);
  };
  for (const name of names) {
    for (let i = 0; i < name.length; i++) mix(name.charCodeAt(i) & 0xff);
    mix(0);
  }
  const bits = new Uint32Array(planes.buffer, planes.byteOffset, planes.length);
  for (let i = 0; i < bits.length; i++) {
    const w = bits[i];
    mix(w & 0xff);
    mix((w >>> 8) & 0xff);
    mix((w >>> 16) & 0xff);
    mix(w >>> 24);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `own:stone=3 opp:stone=2 ...`: the count of non-zero cells per plane, to say which plane moved. */
function planeCounts(game: Game, planes: Float32Array): string {
  const cells = cellsOf(game);
  return game.encoding.planes
    .map((name, p) => {
      let count = 0;
      for (let c = 0; c < cells; c++) if (planes[p * cells + c] !== 0) count++;
      return `${name}=${count}`;
    })
    .join(' ');
}

/** Where a recorded playthrough and a fresh one first part. Lines and plies are as in the file. */
export interface PlaythroughDifference {
  /** 1-based line number. */
  readonly line: number;
  /** The game (1-based) and ply the line belongs to; null in the header. */
  readonly game: number | null;
  readonly ply: number | null;
  /** The recorded line, or null where the recording has ended. */
  readonly expected: string | null;
  /** The fresh line, or null where the fresh playthrough has ended. */
  readonly actual: string | null;
}

/** The first line where `actual` departs from `expected` (line endings aside), or null if none. */
export function firstPlaythroughDifference(expected: string, actual: string): PlaythroughDifference | null {
  const want = splitLines(expected);
  const got = splitLines(actual);
  let game: number | null = null;
  let ply: number | null = null;
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const line = i < want.length ? want[i] : null;
    if (line !== null && line === got[i]) {
      const gameHeader = /^## game (\d+) /.exec(line);
      const plyHeader = /^### ply (\d+)$/.exec(line);
      if (gameHeader) {
        game = Number(gameHeader[1]);
        ply = null;
      } else if (plyHeader) {
        ply = Number(plyHeader[1]);
      }
      continue;
    }
    return { line: i + 1, game, ply, expected: line, actual: i < got.length ? got[i] : null };
  }
  return null;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
