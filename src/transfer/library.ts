import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ArborError, closestName, writeFileAtomic } from '../core/index.js';

/**
 * A library of reusable learned pieces: whole networks (`net`), their modules (`stem`, `trunk`,
 * `policy`, `policy-head:KIND`, `value-head`, `ownership-head`) and, later, programs (`program`).
 * What one game taught is kept here so another game can start from it (Soemers et al., TMLR 2023:
 * fully convolutional policy-value nets carried across games through named channels).
 *
 * On disk a library is one folder:
 *   index.sqlite       one row per entry (name, kind, reads/writes, provenance, strength, checksum)
 *   blobs/SHA256/      an entry's files, the folder named by the SHA-256 of its entry.json
 *     entry.json       format, version, kind, and each file's SHA-256 and size
 *     ...              the files (a net: meta.json, model.json, weights.bin, model.onnx;
 *                      a module: module.json, weights.bin)
 * Blobs are content-addressed, so entries with identical content share one folder, and whatever is
 * read is checked against its checksum first: entry.json against the folder's name and the index
 * row, every file against entry.json, every index row against its own row checksum. A mismatch is
 * one ArborError naming the entry and the fix.
 */

export const LIBRARY_FORMAT = 'arbor-library';
export const LIBRARY_SCHEMA_VERSION = 1;
export const ENTRY_FORMAT = 'arbor-library-entry';
export const ENTRY_VERSION = 1;
export const INDEX_FILE = 'index.sqlite';
export const BLOBS_DIR = 'blobs';

/** Which library an entry was found in: the user's (writable) or the starter one shipped with arbor (read-only). */
export type LibraryOrigin = 'user' | 'starter';

/** What a caller gives to store an entry (everything but the checksum, the creation time and the library). */
export interface EntryInput {
  /** Unique in its library: letters, digits and `._-`, with `/` and `:` in module names (`NAME/policy:drop`). */
  readonly name: string;
  /** `net`, `stem`, `trunk`, `policy`, `policy-head:KIND`, `value-head`, `ownership-head`, `program`. */
  readonly kind: string;
  /** Plane names it reads (a net or stem), or a program's inputs. */
  readonly reads: readonly string[];
  /** Action kinds it writes logits for (a net or policy head), or a program's outputs. */
  readonly writes: readonly string[];
  /** The network config values that shape it (null for a program). */
  readonly architecture: Readonly<Record<string, unknown>> | null;
  /** Game specs it was trained on. */
  readonly games: readonly string[];
  /** Board sizes it was trained on, `ROWSxCOLS`. */
  readonly sizes: readonly string[];
  /** Self-play games and positions that went into it, when known. */
  readonly selfPlayGames: number | null;
  readonly selfPlayPositions: number | null;
  /** Measured strength: any JSON figures (oracle rates, Elo, results against references...). */
  readonly measured: Readonly<Record<string, unknown>>;
  /** Entries it was made from. */
  readonly parents: readonly string[];
  /** The training run folder it came from, when known. */
  readonly run: string | null;
  /** Kind-specific details (a net: its game and action layout; a module: its id and action extents; a program: its type). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** An entry as stored. */
export interface LibraryEntry extends EntryInput {
  readonly createdAt: string;
  /** SHA-256 of the entry's entry.json (which holds every file's SHA-256): its blob folder's name. */
  readonly checksum: string;
  readonly library: LibraryOrigin;
  /** The library folder it lives in. */
  readonly libraryDir: string;
}

/** How `Library.add` treats names that are taken. */
export interface AddOptions {
  /**
   * Replace entries of the same names (and the modules split from them) in the same transaction,
   * so a reader sees the old entries or the new ones, never neither. Default: a taken name is refused.
   */
  readonly replace?: boolean;
}

/** The files of an entry, by file name (plain names, no folders). */
export type EntryFiles = ReadonlyMap<string, Uint8Array>;

interface EntryManifest {
  format: string;
  version: number;
  kind: string;
  files: { name: string; sha256: string; bytes: number }[];
}

interface EntryRow {
  name: string;
  kind: string;
  checksum: string;
  reads: string;
  writes: string;
  architecture: string;
  games: string;
  sizes: string;
  selfplay_games: number | null;
  selfplay_positions: number | null;
  measured: string;
  parents: string;
  run: string | null;
  meta: string;
  created_at: string;
  row_checksum: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS library (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  checksum TEXT NOT NULL,
  reads TEXT NOT NULL,
  writes TEXT NOT NULL,
  architecture TEXT NOT NULL,
  games TEXT NOT NULL,
  sizes TEXT NOT NULL,
  selfplay_games INTEGER,
  selfplay_positions INTEGER,
  measured TEXT NOT NULL,
  parents TEXT NOT NULL,
  run TEXT,
  meta TEXT NOT NULL,
  created_at TEXT NOT NULL,
  row_checksum TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_checksum ON entries (checksum);
`;

const ENTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._:-]*)*$/;
const KINDS = /^(net|stem|trunk|policy|policy-head:[A-Za-z0-9:._-]+|value-head|ownership-head|program)$/;

/** The parents listed in an index row (a damaged list counts as none: the row checksum reports it on read). */
function parentsOf(row: { parents: string }): string[] {
  try {
    const p = JSON.parse(row.parents) as unknown;
    return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** `name` and the modules split from it (`name/...` entries whose parent it is), among index rows. */
function familyOf(name: string, rows: readonly { name: string; parents: string }[]): string[] {
  return [name, ...rows.filter((r) => r.name.startsWith(`${name}/`) && parentsOf(r).includes(name)).map((r) => r.name)];
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Checks a name a user gives (`add --name`): plain, so `NAME/MODULE` names stay unambiguous. */
export function checkEntryName(name: string, what = 'entry name'): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new ArborError(`${what} "${name}" is not allowed; use up to 100 letters, digits, dots, dashes and underscores, starting with a letter or digit (e.g. connect4-6x7-v1)`);
  }
}

function rowChecksum(row: Omit<EntryRow, 'row_checksum'>): string {
  return sha256(JSON.stringify([row.name, row.kind, row.checksum, row.reads, row.writes, row.architecture, row.games, row.sizes,
    row.selfplay_games, row.selfplay_positions, row.measured, row.parents, row.run, row.meta, row.created_at]));
}

function manifestBytes(kind: string, files: EntryFiles): Uint8Array {
  const list = [...files].map(([name, data]) => ({ name, sha256: sha256(data), bytes: data.length })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const manifest: EntryManifest = { format: ENTRY_FORMAT, version: ENTRY_VERSION, kind, files: list };
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** The one line for a damaged entry, with the fix that fits the library it is in. */
function corruptEntry(entry: { name: string; library: LibraryOrigin; libraryDir: string }, problem: string): ArborError {
  const fix = entry.library === 'starter'
    ? 'reinstall arbor to restore the starter library'
    : `remove it (arbor library remove ${entry.name} --library ${entry.libraryDir}) and add it again from its source`;
  return new ArborError(`library entry ${entry.name} is corrupt: ${problem}; ${fix}`);
}

function parseJson(text: string, entry: { name: string; library: LibraryOrigin; libraryDir: string }, column: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw corruptEntry(entry, `its ${column} in the index is not JSON`);
  }
}

/**
 * The folder of an entry's files after checking them: entry.json against the entry's checksum, each
 * file against entry.json. A mismatch, a missing file or a foreign format is one ArborError.
 */
export function verifiedEntryDir(entry: Pick<LibraryEntry, 'name' | 'library' | 'libraryDir' | 'checksum' | 'kind'>): string {
  const dir = join(entry.libraryDir, BLOBS_DIR, entry.checksum);
  const manifestPath = join(dir, 'entry.json');
  if (!existsSync(manifestPath)) throw corruptEntry(entry, `its files (${dir}) are missing`);
  const bytes = readFileSync(manifestPath);
  let manifest: EntryManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as EntryManifest;
  } catch {
    throw corruptEntry(entry, `${manifestPath} is not JSON`);
  }
  if (manifest.format !== ENTRY_FORMAT || manifest.version !== ENTRY_VERSION) {
    throw new ArborError(`library entry ${entry.name} is stored as ${String(manifest.format)} version ${String(manifest.version)}, which this arbor does not read (it reads ${ENTRY_FORMAT} version ${ENTRY_VERSION}); ${entry.library === 'starter' ? 'reinstall arbor' : `remove it (arbor library remove ${entry.name}) and add it again with this arbor`}`);
  }
  if (sha256(bytes) !== entry.checksum) throw corruptEntry(entry, `${manifestPath} does not match its checksum`);
  if (manifest.kind !== entry.kind) throw corruptEntry(entry, `its files hold a ${manifest.kind}, its index row says ${entry.kind}`);
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) throw corruptEntry(entry, `${path} is missing`);
    if (sha256(readFileSync(path)) !== file.sha256) throw corruptEntry(entry, `${path} does not match its checksum`);
  }
  return dir;
}

/**
 * One library folder. The user library is opened writable (created on the first write); the
 * starter library read-only. Reading a library that does not exist yet gives no entries.
 */
export class Library {
  readonly dir: string;
  readonly origin: LibraryOrigin;
  private db: Database.Database | undefined;

  private constructor(dir: string, origin: LibraryOrigin, db: Database.Database | undefined) {
    this.dir = dir;
    this.origin = origin;
    this.db = db;
  }

  get readOnly(): boolean {
    return this.origin === 'starter';
  }

  get indexPath(): string {
    return join(this.dir, INDEX_FILE);
  }

  /** Opens the library in `dir` (without creating anything until the first write). */
  static open(dir: string, origin: LibraryOrigin = 'user'): Library {
    const abs = resolve(dir);
    if (existsSync(abs) && !statSync(abs).isDirectory()) {
      throw new ArborError(`library ${dir} is a file; give a library folder (--library DIR or $ARBOR_LIBRARY)`);
    }
    const library = new Library(abs, origin, undefined);
    if (existsSync(library.indexPath)) library.db = library.connect(false);
    return library;
  }

  private connect(create: boolean): Database.Database {
    let db: Database.Database;
    try {
      db = new Database(this.indexPath, this.readOnly ? { readonly: true, fileMustExist: true } : { fileMustExist: !create });
    } catch (e) {
      throw this.badIndex((e as Error).message);
    }
    try {
      if (!this.readOnly) db.exec(SCHEMA);
      const rows = db.prepare('SELECT key, value FROM library').all() as { key: string; value: string }[];
      const info = new Map(rows.map((r) => [r.key, r.value]));
      if (info.size === 0 && !this.readOnly) {
        const put = db.prepare('INSERT INTO library (key, value) VALUES (?, ?)');
        put.run('format', LIBRARY_FORMAT);
        put.run('schema_version', String(LIBRARY_SCHEMA_VERSION));
        info.set('format', LIBRARY_FORMAT).set('schema_version', String(LIBRARY_SCHEMA_VERSION));
      }
      if (info.get('format') !== LIBRARY_FORMAT) {
        db.close();
        throw new ArborError(`${this.indexPath} is not an arbor library index (format ${info.get('format') ?? 'missing'}); point --library (or $ARBOR_LIBRARY) at an arbor library folder`);
      }
      if (info.get('schema_version') !== String(LIBRARY_SCHEMA_VERSION)) {
        db.close();
        throw new ArborError(`library ${this.dir} has index schema version ${info.get('schema_version') ?? 'missing'}; this arbor reads version ${LIBRARY_SCHEMA_VERSION}: use the arbor version that wrote it, or another --library`);
      }
      // The entries table must have the columns this version reads.
      db.prepare('SELECT name, kind, checksum, reads, writes, architecture, games, sizes, selfplay_games, selfplay_positions, measured, parents, run, meta, created_at, row_checksum FROM entries LIMIT 0').all();
    } catch (e) {
      if (e instanceof ArborError) throw e;
      db.close();
      throw this.badIndex((e as Error).message);
    }
    return db;
  }

  private badIndex(reason: string): ArborError {
    const fix = this.readOnly
      ? 'reinstall arbor to restore the starter library'
      : `move ${this.indexPath} aside and add the entries again, or point --library (or $ARBOR_LIBRARY) at another folder`;
    return new ArborError(`library index ${this.indexPath} is corrupt or not an arbor library (${reason}); ${fix}`);
  }

  private writable(): Database.Database {
    if (this.readOnly) {
      throw new ArborError(`the starter library ${this.dir} is read-only; add to and remove from your own library (--library DIR, $ARBOR_LIBRARY, default ~/.arbor/library)`);
    }
    if (!this.db) {
      try {
        mkdirSync(join(this.dir, BLOBS_DIR), { recursive: true });
      } catch (e) {
        throw new ArborError(`cannot create the library folder ${this.dir}: ${(e as Error).message}; choose another --library`);
      }
      this.db = this.connect(true);
    }
    return this.db;
  }

  private fromRow(row: EntryRow): LibraryEntry {
    const where = { name: row.name, library: this.origin, libraryDir: this.dir };
    const { row_checksum: stored, ...rest } = row;
    if (rowChecksum(rest) !== stored) throw corruptEntry(where, `its index row in ${this.indexPath} does not match its row checksum`);
    const strings = (column: 'reads' | 'writes' | 'games' | 'sizes' | 'parents'): string[] => {
      const value = parseJson(row[column], where, column);
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw corruptEntry(where, `its ${column} in the index is not a list of names`);
      return value as string[];
    };
    const object = (column: 'measured' | 'meta'): Record<string, unknown> => {
      const value = parseJson(row[column], where, column);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corruptEntry(where, `its ${column} in the index is not a JSON object`);
      return value as Record<string, unknown>;
    };
    const architecture = parseJson(row.architecture, where, 'architecture');
    return {
      name: row.name,
      kind: row.kind,
      reads: strings('reads'),
      writes: strings('writes'),
      architecture: architecture as Record<string, unknown> | null,
      games: strings('games'),
      sizes: strings('sizes'),
      selfPlayGames: row.selfplay_games,
      selfPlayPositions: row.selfplay_positions,
      measured: object('measured'),
      parents: strings('parents'),
      run: row.run,
      meta: object('meta'),
      createdAt: row.created_at,
      checksum: row.checksum,
      library: this.origin,
      libraryDir: this.dir,
    };
  }

  /** Every entry, by name; each index row is checked against its row checksum. */
  list(): LibraryEntry[] {
    if (!this.db) return [];
    return (this.db.prepare('SELECT * FROM entries ORDER BY name').all() as EntryRow[]).map((r) => this.fromRow(r));
  }

  names(): string[] {
    if (!this.db) return [];
    return (this.db.prepare('SELECT name FROM entries ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }

  find(name: string): LibraryEntry | undefined {
    if (!this.db) return undefined;
    const row = this.db.prepare('SELECT * FROM entries WHERE name = ?').get(name) as EntryRow | undefined;
    return row ? this.fromRow(row) : undefined;
  }

  /**
   * Stores entries together (a net and its modules): all or none. Each entry's files go to the
   * blob named by their checksum (kept if an identical blob is there already), then the index
   * rows are written in one transaction.
   */
  async add(entries: readonly { readonly input: EntryInput; readonly files: EntryFiles }[], options: AddOptions = {}): Promise<LibraryEntry[]> {
    const db = this.writable();
    const seen = new Set<string>();
    for (const { input } of entries) {
      if (!ENTRY_NAME.test(input.name) || input.name.length > 300) throw new ArborError(`entry name "${input.name}" is not allowed; use letters, digits, dots, dashes and underscores`);
      if (!KINDS.test(input.kind)) throw new ArborError(`entry ${input.name}: unknown kind "${input.kind}"; kinds: net, stem, trunk, policy, policy-head:KIND, value-head, ownership-head, program`);
      if (seen.has(input.name)) throw new ArborError(`entry ${input.name} is given twice; give each entry once`);
      seen.add(input.name);
      if (!options.replace && this.find(input.name)) throw new ArborError(`library ${this.dir} already has an entry ${input.name}; remove it first (arbor library remove ${input.name}) or choose another --name`);
    }
    const replaced = options.replace ? this.replacedBy(entries.map((e) => e.input.name)) : [];
    const checksums: string[] = [];
    for (const { input, files } of entries) checksums.push(await this.writeBlob(input, files));
    const createdAt = new Date().toISOString();
    const insert = db.prepare(`INSERT INTO entries (name, kind, checksum, reads, writes, architecture, games, sizes, selfplay_games, selfplay_positions,
      measured, parents, run, meta, created_at, row_checksum) VALUES (@name, @kind, @checksum, @reads, @writes, @architecture, @games, @sizes,
      @selfplay_games, @selfplay_positions, @measured, @parents, @run, @meta, @created_at, @row_checksum)`);
    const remove = db.prepare('DELETE FROM entries WHERE name = ?');
    const insertAll = db.transaction(() => {
      for (const name of replaced) remove.run(name);
      entries.forEach(({ input }, i) => {
        const row: Omit<EntryRow, 'row_checksum'> = {
          name: input.name,
          kind: input.kind,
          checksum: checksums[i],
          reads: JSON.stringify(input.reads),
          writes: JSON.stringify(input.writes),
          architecture: JSON.stringify(input.architecture),
          games: JSON.stringify(input.games),
          sizes: JSON.stringify(input.sizes),
          selfplay_games: input.selfPlayGames,
          selfplay_positions: input.selfPlayPositions,
          measured: JSON.stringify(input.measured),
          parents: JSON.stringify(input.parents),
          run: input.run,
          meta: JSON.stringify(input.meta),
          created_at: createdAt,
        };
        insert.run({ ...row, row_checksum: rowChecksum(row) });
      });
    });
    try {
      insertAll();
    } catch (e) {
      // Another process added one of these names since the check above.
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ArborError(`library ${this.dir} gained an entry named like one of ${entries.map((x) => x.input.name).join(', ')} while adding; choose another --name`);
      }
      throw e;
    }
    if (replaced.length > 0) this.collectBlobs();
    return entries.map(({ input }) => this.find(input.name)!);
  }

  /**
   * What adding `names` with `replace` removes: each of them that exists, with the modules split
   * from it (as `remove` takes them). Refused when an entry outside that set and not re-added
   * names one of them as its parent, so lineage never points at nothing.
   */
  private replacedBy(names: readonly string[]): string[] {
    const rows = (this.db!.prepare('SELECT name, parents FROM entries').all() as { name: string; parents: string }[]);
    const existing = new Set(rows.map((r) => r.name));
    const doomed = new Set<string>();
    for (const name of names) {
      if (!existing.has(name)) continue;
      for (const n of familyOf(name, rows)) doomed.add(n);
    }
    const kept = new Set(names);
    const orphaned = [...doomed].filter((n) => !kept.has(n));
    const dependants = rows.filter((r) => !doomed.has(r.name) && parentsOf(r).some((p) => orphaned.includes(p))).map((r) => r.name);
    if (dependants.length > 0) {
      throw new ArborError(`replacing ${names[0]} would drop ${orphaned.join(', ')}, a parent of ${dependants.join(', ')}; remove ${dependants.length === 1 ? 'that entry' : 'those entries'} first`);
    }
    return [...doomed];
  }

  private async writeBlob(input: EntryInput, files: EntryFiles): Promise<string> {
    for (const name of files.keys()) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === 'entry.json') throw new Error(`entry file name "${name}" is not a plain file name`);
    }
    const manifest = manifestBytes(input.kind, files);
    const checksum = sha256(manifest);
    const target = join(this.dir, BLOBS_DIR, checksum);
    if (existsSync(target)) {
      try {
        verifiedEntryDir({ name: input.name, library: this.origin, libraryDir: this.dir, checksum, kind: input.kind });
        return checksum;
      } catch {
        // A damaged copy of the same content: replaced below by a good one.
        rmSync(target, { recursive: true, force: true });
      }
    }
    const tmp = join(this.dir, BLOBS_DIR, `.tmp-${checksum.slice(0, 12)}-${process.pid}-${Date.now()}`);
    try {
      for (const [name, data] of files) await writeFileAtomic(join(tmp, name), data);
      await writeFileAtomic(join(tmp, 'entry.json'), manifest);
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      // Another process stored the same content first: its blob is this one.
      if (!existsSync(target)) throw e;
    }
    return checksum;
  }

  /** The folder of an entry's files, after checking every file against its checksum. */
  entryDir(entry: LibraryEntry): string {
    if (entry.libraryDir !== this.dir) throw new Error(`entry ${entry.name} is from ${entry.libraryDir}, not ${this.dir}`);
    return verifiedEntryDir(entry);
  }

  /**
   * Removes `name` and the modules split from it (`name/...` entries whose parent it is). Refused
   * when another entry names one of them as its parent: remove that one first. Blobs no other
   * entry uses are deleted. Returns the names removed.
   */
  remove(name: string): string[] {
    const db = this.writable();
    const rows = db.prepare('SELECT name, parents FROM entries').all() as { name: string; parents: string }[];
    if (!rows.some((r) => r.name === name)) {
      const guess = closestName(name, rows.map((r) => r.name));
      throw new ArborError(`no entry ${name} in library ${this.dir};${guess ? ` did you mean ${guess}?` : ''} see arbor library list`);
    }
    const doomed = new Set(familyOf(name, rows));
    const dependants = rows.filter((r) => !doomed.has(r.name) && parentsOf(r).some((p) => doomed.has(p))).map((r) => r.name);
    if (dependants.length > 0) {
      throw new ArborError(`entry ${name} is a parent of ${dependants.join(', ')}; remove ${dependants.length === 1 ? 'that entry' : 'those entries'} first`);
    }
    const del = db.prepare('DELETE FROM entries WHERE name = ?');
    db.transaction(() => {
      for (const n of doomed) del.run(n);
    })();
    this.collectBlobs();
    return [...doomed].sort();
  }

  /** Deletes blob folders no entry refers to (a temporary folder may be another process's add in flight: kept). */
  private collectBlobs(): void {
    const used = new Set((this.db!.prepare('SELECT DISTINCT checksum FROM entries').all() as { checksum: string }[]).map((r) => r.checksum));
    const blobs = join(this.dir, BLOBS_DIR);
    if (!existsSync(blobs)) return;
    for (const name of readdirSync(blobs)) {
      if (/^[0-9a-f]{64}$/.test(name) && !used.has(name)) rmSync(join(blobs, name), { recursive: true, force: true });
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
