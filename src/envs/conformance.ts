import { ArborError, isArborError, createRng, type Rng, type Game, type State } from '../core/index.js';
import { createGame, type GameDefinition } from './registry.js';

/**
 * The conformance kit (after OpenSpiel's `basic_tests`): runs any Game — built-in or a user's —
 * through the checks every algorithm in arbor relies on, and lists what failed.
 */
export interface ConformanceOptions {
  /** Random playouts to the end (each from its own seed). */
  playouts?: number;
  seed?: string;
  /** Stop collecting after this many failures. */
  maxFailures?: number;
}

export interface ConformanceReport {
  readonly game: string;
  readonly failures: string[];
  /** Positions visited across all playouts. */
  readonly positions: number;
}

export function checkConformance(game: Game, options: ConformanceOptions = {}): ConformanceReport {
  const playouts = options.playouts ?? 50;
  const seed = options.seed ?? 'conformance';
  const maxFailures = options.maxFailures ?? 20;
  const failures: string[] = [];
  const fail = (msg: string) => {
    if (failures.length < maxFailures) failures.push(msg);
  };
  const size = game.encoding.planes.length * game.shape.rows * game.shape.cols;
  const actions = new Int32Array(game.numActions);
  const mask = new Uint8Array(game.numActions);
  let positions = 0;

  checkStaticShape(game, fail);

  for (let p = 0; p < playouts && failures.length < maxFailures; p++) {
    const rng = createRng(`${seed}/${p}`);
    const state = game.newInitialState();
    const sequence: number[] = [];
    let midClone: State | null = null;
    const cloneAt = rng.int(Math.max(1, game.maxGameLength >> 1));
    while (!state.isTerminal()) {
      positions++;
      const where = `${game.spec} after "${state.toMoveString()}"`;
      const n = state.legalActions(actions);
      if (n <= 0) {
        fail(`${where}: not terminal but no legal actions`);
        break;
      }
      const player = state.currentPlayer();
      if (!(player >= 0 && player < game.numPlayers)) fail(`${where}: currentPlayer() = ${player}`);
      checkMask(state, actions, n, mask, where, fail);
      if (sequence.length === cloneAt) midClone = state.clone();
      checkIllegalRejected(state, actions, n, where, fail, rng);
      checkNotation(game, actions, n, where, fail);
      const action = actions[rng.int(n)];
      state.apply(action);
      sequence.push(action);
      if (sequence.length > game.maxGameLength) {
        fail(`${game.spec}: a game went past maxGameLength ${game.maxGameLength}`);
        break;
      }
    }
    if (state.isTerminal()) checkTerminal(game, state, actions, fail);
    checkRoundTrip(game, state, sequence, size, fail);
    if (midClone) checkCloneIndependence(game, midClone, sequence, size, rng, fail);
    checkSymmetries(game, sequence, size, actions, fail);
    if (game.hasTranspositions) checkTranspositions(game, sequence, size, fail);
  }
  checkDeterminism(game, seed, fail);
  return { game: game.spec, failures, positions };
}

/**
 * The canonical specs a registered game is checked at: its default, then each declared variant.
 * Throws ArborError when a variant does not build, builds another game, or repeats the default
 * or another variant (each would silently check less than the definition promises).
 */
export function conformanceSpecs(def: GameDefinition): string[] {
  const specs = [createGame(def.id).spec];
  for (const variant of def.variants ?? []) {
    const game = createGame(variant);
    if (game.id !== def.id) throw new ArborError(`game ${def.id}: variant "${variant}" builds a ${game.id} game; list only ${def.id} specs`);
    if (specs.includes(game.spec)) {
      throw new ArborError(`game ${def.id}: variant "${variant}" is the same game as ${specs.indexOf(game.spec) === 0 ? 'the default' : `"${game.spec}"`}; give each variant its own parameters`);
    }
    specs.push(game.spec);
  }
  return specs;
}

type Fail = (msg: string) => void;

function checkStaticShape(game: Game, fail: Fail): void {
  const { rows, cols } = game.shape;
  let spatial = 0;
  for (const plane of game.actionLayout.planes) spatial += plane.extent === 'cell' ? rows * cols : cols;
  if (spatial + game.actionLayout.globals.length !== game.numActions) {
    fail(`${game.spec}: actionLayout covers ${spatial + game.actionLayout.globals.length} actions but numActions is ${game.numActions}`);
  }
  const names = new Set(game.encoding.planes);
  if (names.size !== game.encoding.planes.length) fail(`${game.spec}: encoding plane names repeat`);
  if (!names.has('cell:exists')) fail(`${game.spec}: encoding has no 'cell:exists' plane`);
  for (const sym of game.symmetries) {
    if (sym.cellMap.length !== rows * cols || sym.actionMap.length !== game.numActions) {
      fail(`${game.spec}: symmetry ${sym.name} has maps of the wrong length`);
    } else if (!isPermutation(sym.cellMap) || !isPermutation(sym.actionMap)) {
      fail(`${game.spec}: symmetry ${sym.name} is not a permutation`);
    }
  }
}

function isPermutation(map: Int32Array): boolean {
  const seen = new Uint8Array(map.length);
  for (const v of map) {
    if (v < 0 || v >= map.length || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

function checkMask(state: State, actions: Int32Array, n: number, mask: Uint8Array, where: string, fail: Fail): void {
  state.legalMask(mask);
  let count = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) count++;
  if (count !== n) fail(`${where}: legalMask has ${count} actions, legalActions ${n}`);
  for (let i = 0; i < n; i++) {
    if (!mask[actions[i]]) fail(`${where}: action ${actions[i]} is listed legal but masked`);
    if (!state.isLegal(actions[i])) fail(`${where}: action ${actions[i]} is listed legal but isLegal() says no`);
    if (i > 0 && actions[i] <= actions[i - 1]) fail(`${where}: legalActions not strictly ascending`);
  }
}

function checkIllegalRejected(state: State, actions: Int32Array, n: number, where: string, fail: Fail, rng: Rng): void {
  const numActions = state.game.numActions;
  const candidates = [-1, numActions, 0.5];
  if (n < numActions) {
    // Pick one in-range illegal action at random.
    const legal = new Set(Array.from(actions.subarray(0, n)));
    const illegal: number[] = [];
    for (let a = 0; a < numActions; a++) if (!legal.has(a)) illegal.push(a);
    candidates.push(illegal[rng.int(illegal.length)]);
  }
  const before = state.hash();
  const moves = state.moveNumber();
  for (const a of candidates) {
    if (state.isLegal(a)) {
      fail(`${where}: isLegal(${a}) is true for an action outside the legal list`);
      continue;
    }
    try {
      state.apply(a);
      fail(`${where}: apply(${a}) accepted an illegal action`);
    } catch (e) {
      if (!isArborError(e)) fail(`${where}: apply(${a}) threw ${String(e)} instead of an ArborError`);
    }
    if (state.hash() !== before || state.moveNumber() !== moves) fail(`${where}: a rejected apply(${a}) changed the state`);
  }
}

function checkNotation(game: Game, actions: Int32Array, n: number, where: string, fail: Fail): void {
  for (let i = 0; i < n; i++) {
    const text = game.actionToString(actions[i]);
    let back: number;
    try {
      back = game.parseAction(text);
    } catch (e) {
      fail(`${where}: parseAction("${text}") threw ${String(e)}`);
      continue;
    }
    if (back !== actions[i]) fail(`${where}: action ${actions[i]} prints as "${text}", which parses to ${back}`);
  }
}

function checkTerminal(game: Game, state: State, actions: Int32Array, fail: Fail): void {
  const where = `${game.spec} final "${state.toMoveString()}"`;
  if (state.currentPlayer() !== -1) fail(`${where}: terminal but currentPlayer() = ${state.currentPlayer()}`);
  if (state.legalActions(actions) !== 0) fail(`${where}: terminal but has legal actions`);
  let sum = 0;
  for (let p = 0; p < game.numPlayers; p++) {
    const r = state.returnOf(p);
    if (!Number.isFinite(r) || r < -1 || r > 1) fail(`${where}: returnOf(${p}) = ${r}`);
    sum += r;
  }
  if (game.numPlayers === 2 && Math.abs(sum) > 1e-9) fail(`${where}: returns do not sum to zero (${sum})`);
}

function encodeOf(state: State, size: number): Float32Array {
  const out = new Float32Array(size + 2).fill(-7);
  state.encode(out, 1);
  return out;
}

function sameEncoding(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkRoundTrip(game: Game, state: State, sequence: number[], size: number, fail: Fail): void {
  const text = state.toMoveString();
  const enc = encodeOf(state, size);
  if (enc[0] !== -7 || enc[size + 1] !== -7) fail(`${game.spec}: encode() writes outside [offset, offset + size)`);
  let parsed: State;
  try {
    parsed = game.parseState(text);
  } catch (e) {
    fail(`${game.spec}: parseState("${text}") threw ${String(e)}`);
    return;
  }
  if (parsed.hash() !== state.hash() || parsed.moveNumber() !== sequence.length || !sameEncoding(encodeOf(parsed, size), enc)) {
    fail(`${game.spec}: "${text}" does not round-trip through parseState`);
  }
  if (game.formatMoves(sequence) !== text) fail(`${game.spec}: formatMoves(sequence) differs from toMoveString()`);
  for (let i = 0; i < sequence.length; i++) {
    if (state.actionAt(i) !== sequence[i]) {
      fail(`${game.spec}: actionAt(${i}) = ${state.actionAt(i)}, played ${sequence[i]}`);
      break;
    }
  }
}

function checkCloneIndependence(game: Game, mid: State, sequence: number[], size: number, rng: Rng, fail: Fail): void {
  if (mid.isTerminal()) return;
  const hash = mid.hash();
  const enc = encodeOf(mid, size);
  const copy = mid.clone();
  const viaCopy = game.newInitialState();
  viaCopy.copyFrom(mid);
  if (viaCopy.hash() !== hash || !sameEncoding(encodeOf(viaCopy, size), enc) || viaCopy.toMoveString() !== mid.toMoveString()) {
    fail(`${game.spec}: copyFrom() does not reproduce the position "${mid.toMoveString()}"`);
  }
  const actions = new Int32Array(game.numActions);
  for (let k = 0; k < 5 && !copy.isTerminal(); k++) {
    const n = copy.legalActions(actions);
    copy.apply(actions[rng.int(n)]);
  }
  if (mid.hash() !== hash || !sameEncoding(encodeOf(mid, size), enc)) {
    fail(`${game.spec}: playing on a clone changed the original at "${mid.toMoveString()}"`);
  }
  void sequence;
}

/** Replays `sequence` from the start; returns null if some move is refused. */
function replay(game: Game, sequence: readonly number[]): State | null {
  const s = game.newInitialState();
  for (const a of sequence) {
    if (!s.isLegal(a)) return null;
    s.apply(a);
  }
  return s;
}

function checkSymmetries(game: Game, sequence: number[], size: number, actions: Int32Array, fail: Fail): void {
  const { rows, cols } = game.shape;
  const cells = rows * cols;
  const planes = game.encoding.planes.length;
  const prefix = sequence.slice(0, Math.max(0, sequence.length - 1));
  const original = replay(game, prefix);
  if (!original) return;
  const enc = encodeOf(original, size);
  for (const sym of game.symmetries) {
    const mapped = prefix.map((a) => sym.actionMap[a]);
    const image = replay(game, mapped);
    const where = `${game.spec} symmetry ${sym.name} of "${original.toMoveString()}"`;
    if (!image) {
      fail(`${where}: the mapped move sequence is illegal`);
      continue;
    }
    const imgEnc = encodeOf(image, size);
    let ok = true;
    for (let p = 0; p < planes && ok; p++) {
      for (let c = 0; c < cells; c++) {
        if (imgEnc[1 + p * cells + sym.cellMap[c]] !== enc[1 + p * cells + c]) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) fail(`${where}: the image does not encode to the transformed planes`);
    const n = original.legalActions(actions);
    for (let i = 0; i < n; i++) {
      if (!image.isLegal(sym.actionMap[actions[i]])) {
        fail(`${where}: legal action ${game.actionToString(actions[i])} maps to an illegal one`);
        break;
      }
    }
    if (image.legalActions(actions) !== n) fail(`${where}: the image has a different number of legal actions`);
  }
}

/**
 * Swaps two moves of the same player (i and i+2) and replays; when that reaches a position
 * with the same encoding, the hashes must agree (and differ otherwise, for these few pairs).
 */
function checkTranspositions(game: Game, sequence: number[], size: number, fail: Fail): void {
  const original = replay(game, sequence.slice(0, sequence.length - 1));
  if (!original) return;
  const prefix = sequence.slice(0, sequence.length - 1);
  for (let i = 0; i + 2 < prefix.length; i += 3) {
    const swapped = prefix.slice();
    [swapped[i], swapped[i + 2]] = [swapped[i + 2], swapped[i]];
    const other = replay(game, swapped);
    if (!other) continue;
    const same = sameEncoding(encodeOf(original, size), encodeOf(other, size)) && original.currentPlayer() === other.currentPlayer();
    if (same && other.hash() !== original.hash()) {
      fail(`${game.spec}: "${original.toMoveString()}" and "${other.toMoveString()}" encode the same but hash differently`);
    }
    if (!same && other.hash() === original.hash()) {
      fail(`${game.spec}: "${original.toMoveString()}" and "${other.toMoveString()}" differ but hash the same`);
    }
  }
}

function checkDeterminism(game: Game, seed: string, fail: Fail): void {
  const play = () => {
    const rng = createRng(`${seed}/determinism`);
    const s = game.newInitialState();
    const actions = new Int32Array(game.numActions);
    while (!s.isTerminal()) s.apply(actions[rng.int(s.legalActions(actions))]);
    return `${s.toMoveString()}#${s.hash()}`;
  };
  if (play() !== play()) fail(`${game.spec}: the same seed gave two different games`);
}
