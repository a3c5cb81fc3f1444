import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ArborError } from '../core/index.js';

/**
 * Game records in SQLite (better-sqlite3 12; 13 crashes on Node 20), one database per arena
 * folder: `DIR/arena.sqlite`. Every game keeps what is needed to play it again (agent specs,
 * seeds, budgets, opening) and what happened (moves, result, reason, time), so ratings
 * accumulate across runs and any game can be replayed. Only the main thread writes; WAL mode
 * lets `arbor replay` read while an arena runs.
 */

export const RECORDS_FILE = 'arena.sqlite';

export interface GameRecordInput {
  readonly runId: number;
  readonly game: string;
  readonly first: string;
  readonly second: string;
  readonly firstSeed: string;
  readonly secondSeed: string;
  readonly firstMoveTimeMs: number | null;
  readonly secondMoveTimeMs: number | null;
  /** Opening as a move string in the game's notation. */
  readonly opening: string;
  readonly openingPlies: number;
  /** All moves from the start (opening included) as a move string. */
  readonly moves: string;
  /** Score of the first player: 1, 0.5 or 0. */
  readonly result: number;
  readonly reason: string;
  readonly durationMs: number;
  readonly firstThinkMs: number;
  readonly secondThinkMs: number;
}

export interface GameRecord extends GameRecordInput {
  readonly id: number;
  readonly createdAt: string;
}

export interface RunInfo {
  readonly id: number;
  readonly startedAt: string;
  readonly game: string;
  readonly seed: string;
  readonly config: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  game TEXT NOT NULL,
  seed TEXT NOT NULL,
  config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS games (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  created_at TEXT NOT NULL,
  game TEXT NOT NULL,
  first TEXT NOT NULL,
  second TEXT NOT NULL,
  first_seed TEXT NOT NULL,
  second_seed TEXT NOT NULL,
  first_move_time_ms INTEGER,
  second_move_time_ms INTEGER,
  opening TEXT NOT NULL,
  opening_plies INTEGER NOT NULL,
  moves TEXT NOT NULL,
  result REAL NOT NULL CHECK (result IN (0, 0.5, 1)),
  reason TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  first_think_ms REAL NOT NULL,
  second_think_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS games_by_players ON games (game, first, second);
`;

interface GameRow {
  id: number;
  run_id: number;
  created_at: string;
  game: string;
  first: string;
  second: string;
  first_seed: string;
  second_seed: string;
  first_move_time_ms: number | null;
  second_move_time_ms: number | null;
  opening: string;
  opening_plies: number;
  moves: string;
  result: number;
  reason: string;
  duration_ms: number;
  first_think_ms: number;
  second_think_ms: number;
}

function fromRow(r: GameRow): GameRecord {
  return {
    id: r.id,
    runId: r.run_id,
    createdAt: r.created_at,
    game: r.game,
    first: r.first,
    second: r.second,
    firstSeed: r.first_seed,
    secondSeed: r.second_seed,
    firstMoveTimeMs: r.first_move_time_ms,
    secondMoveTimeMs: r.second_move_time_ms,
    opening: r.opening,
    openingPlies: r.opening_plies,
    moves: r.moves,
    result: r.result,
    reason: r.reason,
    durationMs: r.duration_ms,
    firstThinkMs: r.first_think_ms,
    secondThinkMs: r.second_think_ms,
  };
}

/** A player as rated: its spec plus its per-move time budget (a budget changes its strength). */
export interface RatedPlayer {
  readonly spec: string;
  readonly moveTimeMs: number | null;
}

export class ArenaRecords {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insertGame: Database.Statement;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.insertGame = db.prepare(`INSERT INTO games (run_id, created_at, game, first, second, first_seed, second_seed,
      first_move_time_ms, second_move_time_ms, opening, opening_plies, moves, result, reason, duration_ms, first_think_ms, second_think_ms)
      VALUES (@runId, @createdAt, @game, @first, @second, @firstSeed, @secondSeed, @firstMoveTimeMs, @secondMoveTimeMs,
      @opening, @openingPlies, @moves, @result, @reason, @durationMs, @firstThinkMs, @secondThinkMs)`);
  }

  /** Opens (creating if needed) the records of an arena folder. */
  static openDir(dir: string): ArenaRecords {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new ArborError(`cannot create the arena records folder ${dir}: ${(e as Error).message}; choose another --dir`);
    }
    return ArenaRecords.openFile(join(dir, RECORDS_FILE), true);
  }

  /** Opens an existing records database (create = false) or creates it. */
  static openFile(path: string, create = false): ArenaRecords {
    if (!create && !existsSync(path)) throw new ArborError(`no arena records at ${path}; give the arena.sqlite of an arena folder`);
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: !create });
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
    } catch (e) {
      throw new ArborError(`${path} is not a usable arena records database (${(e as Error).message}); give an arena.sqlite written by arbor arena`);
    }
    return new ArenaRecords(path, db);
  }

  startRun(game: string, seed: string, config: unknown): number {
    const info = this.db
      .prepare('INSERT INTO runs (started_at, game, seed, config) VALUES (?, ?, ?, ?)')
      .run(new Date().toISOString(), game, seed, JSON.stringify(config));
    return Number(info.lastInsertRowid);
  }

  addGame(record: GameRecordInput): number {
    const info = this.insertGame.run({ ...record, createdAt: new Date().toISOString() });
    return Number(info.lastInsertRowid);
  }

  getGame(id: number): GameRecord {
    const row = this.db.prepare('SELECT * FROM games WHERE id = ?').get(id) as GameRow | undefined;
    if (!row) {
      const range = this.db.prepare('SELECT MIN(id) AS lo, MAX(id) AS hi FROM games').get() as { lo: number | null; hi: number | null };
      throw new ArborError(`no game ${id} in ${this.path}; ids run ${range.lo ?? '-'}..${range.hi ?? '-'}`);
    }
    return fromRow(row);
  }

  listGames(options: { runId?: number; limit?: number } = {}): GameRecord[] {
    const rows = (options.runId === undefined
      ? this.db.prepare('SELECT * FROM games ORDER BY id DESC LIMIT ?').all(options.limit ?? -1)
      : this.db.prepare('SELECT * FROM games WHERE run_id = ? ORDER BY id DESC LIMIT ?').all(options.runId, options.limit ?? -1)) as GameRow[];
    return rows.map(fromRow).reverse();
  }

  countGames(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM games').get() as { n: number }).n;
  }

  runs(): RunInfo[] {
    return (this.db.prepare('SELECT id, started_at AS startedAt, game, seed, config FROM runs ORDER BY id').all() as RunInfo[]);
  }

  /**
   * Pairwise results of every recorded game of `game` between two of `players` (matched on spec
   * and budget), from earlier runs too: this is how ratings accumulate across runs.
   */
  pairResults(game: string, players: readonly RatedPlayer[]): { a: number; b: number; aWins: number; draws: number; bWins: number }[] {
    const rows = this.db
      .prepare(`SELECT first, second, first_move_time_ms AS ft, second_move_time_ms AS st, result, COUNT(*) AS n
        FROM games WHERE game = ? GROUP BY first, second, ft, st, result`)
      .all(game) as { first: string; second: string; ft: number | null; st: number | null; result: number; n: number }[];
    const indexOf = (spec: string, ms: number | null) => players.findIndex((p) => p.spec === spec && p.moveTimeMs === ms);
    const table = new Map<string, { a: number; b: number; aWins: number; draws: number; bWins: number }>();
    for (const r of rows) {
      const i = indexOf(r.first, r.ft);
      const j = indexOf(r.second, r.st);
      if (i < 0 || j < 0 || i === j) continue;
      const [a, b, score] = i < j ? [i, j, r.result] : [j, i, 1 - r.result];
      const key = `${a},${b}`;
      let e = table.get(key);
      if (!e) table.set(key, (e = { a, b, aWins: 0, draws: 0, bWins: 0 }));
      if (score === 1) e.aWins += r.n;
      else if (score === 0) e.bWins += r.n;
      else e.draws += r.n;
    }
    return [...table.values()];
  }

  close(): void {
    this.db.close();
  }
}
