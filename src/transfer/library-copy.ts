import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArborError } from '../core/index.js';
import { verifiedEntryDir, type AddOptions, type EntryFiles, type EntryInput, type Library, type LibraryEntry } from './library.js';

/**
 * Entries carried from one library to another, files and all: checked against their checksums on
 * the way out, stored as one all-or-none add on the way in. The starter library is built this way
 * (staged in a scratch library, measured for size, then copied over); a user can share entries the
 * same way.
 */

/** An entry's stored fields as `Library.add` takes them (without what the library sets itself). */
export function entryInput(entry: LibraryEntry): EntryInput {
  const { createdAt: _created, checksum: _checksum, library: _library, libraryDir: _dir, ...input } = entry;
  return input;
}

/** An entry's files (all but entry.json, which the receiving library writes again), checked. */
export function entryFiles(entry: LibraryEntry): EntryFiles {
  const dir = verifiedEntryDir(entry);
  const manifest = JSON.parse(readFileSync(join(dir, 'entry.json'), 'utf8')) as { files: { name: string }[] };
  return new Map(manifest.files.map((f) => [f.name, new Uint8Array(readFileSync(join(dir, f.name)))]));
}

/** Copies entries `names` of `from` into `to` together (all or none); `replace` as for Library.add. */
export async function copyEntries(from: Library, names: readonly string[], to: Library, options: AddOptions = {}): Promise<LibraryEntry[]> {
  const items = names.map((name) => {
    const entry = from.find(name);
    if (!entry) throw new ArborError(`no entry ${name} in library ${from.dir} to copy; see arbor library list --library ${from.dir}`);
    return { input: entryInput(entry), files: entryFiles(entry) };
  });
  return to.add(items, options);
}
