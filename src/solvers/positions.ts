import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError, type Game, type State } from '../core/index.js';

/**
 * Labelled positions: a position (its move string from the start) with the exact score of every
 * legal move, made by this project's solvers. One JSON object per line (JSONL):
 * `{"moves":"4453","stones":4,"stage":"opening","scores":[-2,null,...]}`, where `scores[a]` is
 * the score of action a for the player to move (null if illegal) in the game's solver
 * convention (see ExactSolver).
 */
export interface LabelledPosition {
  readonly moves: string;
  readonly stones: number;
  readonly stage: Stage;
  readonly scores: readonly (number | null)[];
}

export type Stage = 'opening' | 'middle' | 'end';
export const STAGES: readonly Stage[] = ['opening', 'middle', 'end'];

/**
 * Game stage by the share of the board filled: up to a third `opening`, up to two thirds
 * `middle`, then `end`. On 6x7 these are Pons' benchmark stages (<= 14, 15-28, > 28 stones).
 */
export function stageOf(game: Game, moves: number): Stage {
  const cells = game.shape.rows * game.shape.cols;
  if (moves * 3 <= cells) return 'opening';
  if (moves * 3 <= cells * 2) return 'middle';
  return 'end';
}

/** Builds the record of a position from its per-action scores (NaN = illegal). */
export function labelPosition(state: State, scores: readonly number[]): LabelledPosition {
  return {
    moves: state.toMoveString(),
    stones: state.moveNumber(),
    stage: stageOf(state.game, state.moveNumber()),
    scores: scores.map((v) => (Number.isNaN(v) ? null : v)),
  };
}

export function formatPositions(positions: readonly LabelledPosition[]): string {
  return positions.map((p) => JSON.stringify(p)).join('\n') + '\n';
}

/** Parses a JSONL position file, checking every line against the game (throws ArborError naming the line). */
export function parsePositions(text: string, game: Game, source: string): LabelledPosition[] {
  const out: LabelledPosition[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new ArborError(`${where}: not JSON; each line must be {"moves":...,"scores":[...]} (make sets with scripts/make-positions.ts)`);
    }
    const r = raw as Partial<LabelledPosition>;
    if (typeof r.moves !== 'string' || !Array.isArray(r.scores) || r.scores.length !== game.numActions) {
      throw new ArborError(`${where}: needs "moves" (a move string) and "scores" (${game.numActions} entries, null for illegal moves) for ${game.spec}`);
    }
    let state: State;
    try {
      state = game.parseState(r.moves);
    } catch (e) {
      throw new ArborError(`${where}: ${(e as Error).message}; is the file for ${game.spec}?`);
    }
    if (state.isTerminal()) throw new ArborError(`${where}: position "${r.moves}" is already over; labelled positions must have a move to play`);
    for (let a = 0; a < game.numActions; a++) {
      const v = r.scores[a];
      const legal = state.isLegal(a);
      if (legal !== (typeof v === 'number')) {
        throw new ArborError(`${where}: scores[${a}] is ${v} but move ${game.actionToString(a)} is ${legal ? 'legal' : 'illegal'}; is the file for ${game.spec}?`);
      }
    }
    out.push({ moves: r.moves, stones: state.moveNumber(), stage: stageOf(game, state.moveNumber()), scores: r.scores as (number | null)[] });
  }
  if (out.length === 0) throw new ArborError(`${source}: no positions in the file`);
  return out;
}

export function readPositionsFile(path: string, game: Game): LabelledPosition[] {
  if (!existsSync(path)) throw new ArborError(`positions file ${path} does not exist; make one with scripts/make-positions.ts`);
  return parsePositions(readFileSync(path, 'utf8'), game, path);
}

/** The repo's data/ folder (from src/solvers or dist/src/solvers). */
export function dataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = join(here, up, 'data');
    if (existsSync(join(dir, 'positions'))) return dir;
  }
  return join(here, '../..', 'data');
}

/** File name of the shipped set of a game: `connect4-6x7.jsonl`, `tictactoe.jsonl`. */
export function shippedPositionsName(game: Game): string {
  if (game.id === 'connect4') return `connect4-${game.shape.rows}x${game.shape.cols}.jsonl`;
  return `${game.spec.replace(/[:=,]/g, '-')}.jsonl`;
}

export function shippedPositionsPath(game: Game): string {
  return join(dataDir(), 'positions', shippedPositionsName(game));
}

/** The labelled set shipped for `game` (throws ArborError listing what is shipped if none). */
export function loadPositions(game: Game): LabelledPosition[] {
  const path = shippedPositionsPath(game);
  if (!existsSync(path)) {
    throw new ArborError(`no labelled positions are shipped for ${game.spec} (looked for ${path}); shipped sets: connect4 (6x7), tictactoe; or pass --positions FILE`);
  }
  return readPositionsFile(path, game);
}
