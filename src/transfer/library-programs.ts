import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArborError } from '../core/index.js';
import { verifiedEntryDir, type EntryFiles, type EntryInput, type Library, type LibraryEntry } from './library.js';
import { Libraries, type LibraryLocations } from './library-paths.js';

/**
 * Programs in the library (kind `program`): an agent or evaluator written as a program over
 * algorithmic and geometric primitives, or a function abstracted from several programs (as Stitch
 * and DreamCoder grow a library of abstractions). The library stores a program's text and its type
 * as given: it does not parse the language (src/programs does, and depends on this layer, never
 * the reverse). The blob holds two files, both under the entry's checksums:
 *   program.txt    the program text, UTF-8, exactly as given
 *   program.json   format, version, type, and the text's length in characters
 */

export const PROGRAM_TEXT_FILE = 'program.txt';
export const PROGRAM_INFO_FILE = 'program.json';
const PROGRAM_FORMAT = 'arbor-program';
const PROGRAM_VERSION = 1;
/** A program text longer than this is refused: library programs are small by design. */
export const MAX_PROGRAM_CHARS = 1_000_000;

export interface ProgramInput {
  /** Entry name, as for any entry: letters, digits and `._-`, `/` between parts (`abstractions/f1`). */
  readonly name: string;
  /** The program text, in the program language's text form. */
  readonly text: string;
  /** What it yields: `policy` (a move chooser), `value` (a position evaluator), or a function's type. */
  readonly type: string;
  /** Game specs it was found for. */
  readonly games: readonly string[];
  /** Board sizes it was found for, `ROWSxCOLS` (default: none recorded). */
  readonly sizes?: readonly string[];
  /** Its inputs and outputs, when the language names them (default: none, and the type). */
  readonly reads?: readonly string[];
  readonly writes?: readonly string[];
  /** Measured strength: any JSON figures (scores against references, programs evaluated...). */
  readonly measured?: Readonly<Record<string, unknown>>;
  /** Library entries it was made from (the abstractions it calls, the programs it was abstracted from). */
  readonly parents?: readonly string[];
  /** The run or synthesis folder it came from, when there is one. */
  readonly run?: string | null;
  /** Further details (e.g. search statistics); `type` is always set from `type`. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A program read back from the library, its files checked against their checksums. */
export interface LibraryProgram {
  readonly entry: LibraryEntry;
  readonly text: string;
  readonly type: string;
}

interface ProgramInfo {
  format: string;
  version: number;
  type: string;
  chars: number;
}

function checkProgram(input: ProgramInput): void {
  if (typeof input.text !== 'string' || input.text.trim() === '') throw new ArborError(`program ${input.name} has no text; give the program's source`);
  if (input.text.length > MAX_PROGRAM_CHARS) throw new ArborError(`program ${input.name} is ${input.text.length} characters, more than the ${MAX_PROGRAM_CHARS} a library program may hold; store a smaller program`);
  if (typeof input.type !== 'string' || !/^\S(.{0,198}\S)?$/.test(input.type) || input.type.includes('\n')) {
    throw new ArborError(`program ${input.name}: type "${String(input.type)}" is not a type; give one line of up to 200 characters, e.g. policy or value`);
  }
  if (input.games.length === 0) throw new ArborError(`program ${input.name} names no games; give the game specs it was found for (e.g. connect4)`);
}

/** The entry and files `addProgram` stores (also what a caller adding a program with other entries at once passes to Library.add). */
export function programEntry(input: ProgramInput): { input: EntryInput; files: EntryFiles } {
  checkProgram(input);
  const info: ProgramInfo = { format: PROGRAM_FORMAT, version: PROGRAM_VERSION, type: input.type, chars: input.text.length };
  return {
    input: {
      name: input.name,
      kind: 'program',
      reads: [...(input.reads ?? [])],
      writes: [...(input.writes ?? [input.type])],
      architecture: null,
      games: [...input.games],
      sizes: [...(input.sizes ?? [])],
      selfPlayGames: null,
      selfPlayPositions: null,
      measured: { ...(input.measured ?? {}) },
      parents: [...(input.parents ?? [])],
      run: input.run ?? null,
      meta: { ...(input.meta ?? {}), type: input.type },
    },
    files: new Map([
      [PROGRAM_TEXT_FILE, Buffer.from(input.text, 'utf8')],
      [PROGRAM_INFO_FILE, Buffer.from(`${JSON.stringify(info, null, 2)}\n`)],
    ]),
  };
}

/** Stores a program as entry `input.name` (kind `program`); a taken name is refused unless `replace`. */
export async function addProgram(library: Library, input: ProgramInput, options: { replace?: boolean } = {}): Promise<LibraryEntry> {
  const [entry] = await library.add([programEntry(input)], options);
  return entry;
}

/** A program entry's text and type, after checking its files against their checksums. */
export function readProgram(entry: LibraryEntry): LibraryProgram {
  if (entry.kind !== 'program') {
    throw new ArborError(`library entry ${entry.name} is a ${entry.kind}, not a program; give a program entry (arbor library list shows the kinds)`);
  }
  const dir = verifiedEntryDir(entry);
  let info: ProgramInfo;
  try {
    info = JSON.parse(readFileSync(join(dir, PROGRAM_INFO_FILE), 'utf8')) as ProgramInfo;
  } catch {
    throw new ArborError(`library entry ${entry.name} has no readable ${PROGRAM_INFO_FILE} in ${dir}; remove it and add it again`);
  }
  if (info.format !== PROGRAM_FORMAT || info.version !== PROGRAM_VERSION) {
    throw new ArborError(`library entry ${entry.name} holds a program in format ${String(info.format)} version ${String(info.version)}, which this arbor does not read (it reads ${PROGRAM_FORMAT} version ${PROGRAM_VERSION}); remove it and add it again with this arbor`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(dir, PROGRAM_TEXT_FILE)));
  } catch {
    throw new ArborError(`library entry ${entry.name}: ${PROGRAM_TEXT_FILE} is not UTF-8 text; remove it and add it again`);
  }
  if (text.length !== info.chars || info.type !== entry.meta.type) {
    throw new ArborError(`library entry ${entry.name}: its program files disagree with each other or with its index row; remove it and add it again`);
  }
  return { entry, text, type: info.type };
}

/**
 * The program `lib:NAME` (or NAME): your library first, then the starter library, as every
 * library name resolves. For `program:lib:NAME` agents.
 */
export function readLibraryProgram(ref: string, locations: LibraryLocations = {}): LibraryProgram {
  const name = ref.replace(/^lib:/, '');
  if (name === '') throw new ArborError(`${ref} names no entry; write lib:NAME with a program entry from arbor library list`);
  const libraries = new Libraries(locations);
  try {
    return readProgram(libraries.get(name));
  } finally {
    libraries.close();
  }
}
