import { existsSync, readFileSync, statSync } from 'node:fs';
import { ArborError } from '../core/index.js';
import type { Program } from './ast.js';
import { fromJson } from './json.js';
import { resolveLibraryFunctions } from './library-functions.js';
import { parseProgram } from './parse.js';
import type { PrimitiveLookup } from './registry.js';

/**
 * Where program text comes from: a file (`greedy.arb`, or the JSON form `greedy.json`) or a
 * library entry of kind `program` (`lib:NAME`). The library reader is swappable
 * (`setProgramLibraryReader`), so tests and other storage can stand in for src/transfer's.
 */

/** The extension of program files in arbor's language. */
export const PROGRAM_EXTENSION = '.arb';

/** A program's text and the name messages give it. */
export interface ProgramText {
  readonly text: string;
  readonly source: string;
}

/** Reads the text of library entry NAME (of kind `program`). */
export type ProgramLibraryReader = (name: string) => ProgramText | Promise<ProgramText>;

/**
 * The default reader: the program entry from the user library, then the starter library, its
 * files checked against their checksums (src/transfer/library-programs.ts stores the text).
 */
export async function readLibraryProgram(name: string): Promise<ProgramText> {
  // Imported on demand: the library brings SQLite, which playing from a file does not need.
  const { readLibraryProgram: readEntry } = await import('../transfer/library-programs.js');
  const program = readEntry(name);
  return { text: program.text, source: `lib:${program.entry.name}` };
}

let libraryReader: ProgramLibraryReader = readLibraryProgram;

/** Replaces how `lib:NAME` is read; returns the previous reader (to restore it). */
export function setProgramLibraryReader(reader: ProgramLibraryReader): ProgramLibraryReader {
  const previous = libraryReader;
  libraryReader = reader;
  return previous;
}

/** The text behind a program reference: `lib:NAME` or a file path. */
export async function readProgramText(ref: string): Promise<ProgramText> {
  if (ref.startsWith('lib:')) return libraryReader(ref.slice(4));
  if (!existsSync(ref)) throw new ArborError(`program file ${ref} not found; give a ${PROGRAM_EXTENSION} file (see programs/ for examples) or lib:NAME`);
  if (statSync(ref).isDirectory()) throw new ArborError(`program ${ref} is a folder; give a ${PROGRAM_EXTENSION} file in it`);
  if (!ref.endsWith(PROGRAM_EXTENSION) && !ref.endsWith('.json')) throw new ArborError(`program ${ref}: expected a ${PROGRAM_EXTENSION} file (or its .json form)`);
  return { text: readFileSync(ref, 'utf8'), source: ref };
}

/** Parses program text; `.json` sources are read as the JSON form. */
export function parseProgramText({ text, source }: ProgramText): Program {
  if (source.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ArborError(`${source}: not valid JSON (${(e as Error).message})`);
    }
    return fromJson(data, source);
  }
  return parseProgram(text, source);
}

/**
 * Reads and parses the program `ref` names (a file or `lib:NAME`), with the primitives to check
 * and compile it against: the registry's, plus the library functions it calls (resolved through
 * your library, then the starter library: library-functions.ts).
 */
export async function loadProgram(ref: string): Promise<{ readonly program: Program; readonly source: string; readonly primitives: PrimitiveLookup }> {
  const text = await readProgramText(ref);
  const program = parseProgramText(text);
  return { program, source: text.source, primitives: await resolveLibraryFunctions(program) };
}
