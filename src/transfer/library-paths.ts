import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError, closestName } from '../core/index.js';
import { Library, type LibraryEntry } from './library.js';

/**
 * Where libraries live and how a name is found: the user library (`--library DIR`, else
 * `$ARBOR_LIBRARY`, else `~/.arbor/library`) first, then the read-only starter library shipped in
 * the package (`data/library/`). A user entry of the same name shadows the starter one.
 */

/** The user library folder: `dir` if given, else $ARBOR_LIBRARY, else ~/.arbor/library. */
export function userLibraryDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (dir !== undefined && dir !== '') return dir;
  const fromEnv = env.ARBOR_LIBRARY;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(homedir(), '.arbor', 'library');
}

/** The starter library shipped with arbor: `data/library/` of the package (from src/transfer or dist/src/transfer). */
export function starterLibraryDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const data = join(here, up, 'data');
    if (existsSync(join(data, 'positions'))) return join(data, 'library');
  }
  return join(here, '../..', 'data', 'library');
}

export interface LibraryLocations {
  /** The user library folder (default: userLibraryDir()). */
  readonly user?: string;
  /** The starter library folder (default: starterLibraryDir()); tests point it elsewhere. */
  readonly starter?: string;
}

/** The user library and the starter library, searched in that order. */
export class Libraries {
  readonly user: Library;
  readonly starter: Library;

  constructor(locations: LibraryLocations = {}) {
    this.user = Library.open(userLibraryDir(locations.user), 'user');
    this.starter = Library.open(locations.starter ?? starterLibraryDir(), 'starter');
  }

  /** The library an entry came from. */
  libraryOf(entry: LibraryEntry): Library {
    return entry.library === 'user' ? this.user : this.starter;
  }

  /** Every entry: the user's, then the starter entries the user library does not shadow. */
  list(): LibraryEntry[] {
    const user = this.user.list();
    const names = new Set(user.map((e) => e.name));
    return [...user, ...this.starter.list().filter((e) => !names.has(e.name))];
  }

  find(name: string): LibraryEntry | undefined {
    return this.user.find(name) ?? this.starter.find(name);
  }

  /** The entry `name` (user library first), or one ArborError with the closest name. */
  get(name: string): LibraryEntry {
    const found = this.find(name);
    if (found) return found;
    const names = [...new Set([...this.user.names(), ...this.starter.names()])];
    const guess = closestName(name, names);
    throw new ArborError(`no library entry ${name} in ${this.user.dir} or the starter library;${guess ? ` did you mean ${guess}?` : ''} see arbor library list${names.length === 0 ? ' (the libraries are empty: add a network with arbor library add RUN --name NAME)' : ''}`);
  }

  /** The folder of an entry's files, checked against its checksums. */
  entryDir(entry: LibraryEntry): string {
    return this.libraryOf(entry).entryDir(entry);
  }

  close(): void {
    this.user.close();
    this.starter.close();
  }
}
