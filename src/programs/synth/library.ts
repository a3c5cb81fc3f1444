import { isArborError } from '../../core/index.js';
import { addProgram, Libraries, readProgram, type LibraryEntry, type LibraryLocations } from '../../transfer/index.js';
import { isFunctionEntryType, parseLibraryFunction, type LibraryFunction } from '../library-functions.js';
import type { SynthProgramReport, SynthResult } from './synthesize.js';

/**
 * The synthesizer and the library: `--library on` reads every `program` entry whose type is a
 * function (the abstractions `arbor library abstract` stores) as a primitive; `--publish NAME`
 * stores the best program found as a `program` entry with its measured strength.
 */

/** A library entry name as a function name of the language: `abstractions/count_wins` -> `abstractions-count-wins`. */
export function functionNameOf(entryName: string): string {
  return entryName.toLowerCase().replace(/[/._]+/g, '-');
}

export interface LoadedLibraryFunctions {
  readonly functions: LibraryFunction[];
  /** Function entries that could not be read, with why. */
  readonly skipped: { readonly name: string; readonly reason: string }[];
}

/** Every function entry of the user and starter libraries, in the order the libraries list them. */
export function loadLibraryFunctions(locations: LibraryLocations = {}): LoadedLibraryFunctions {
  const libraries = new Libraries(locations);
  const functions: LibraryFunction[] = [];
  const skipped: { name: string; reason: string }[] = [];
  try {
    const entries = libraries.list().filter((e: LibraryEntry) => e.kind === 'program' && typeof e.meta.type === 'string' && isFunctionEntryType(e.meta.type));
    for (const entry of entries) {
      try {
        const program = readProgram(entry);
        functions.push(parseLibraryFunction(functionNameOf(entry.name), program.type, program.text));
      } catch (e) {
        if (!isArborError(e)) throw e;
        skipped.push({ name: entry.name, reason: (e as Error).message });
      }
    }
  } finally {
    libraries.close();
  }
  return { functions, skipped };
}

/** Stores `best` (a program of `result`) in the user library as entry `name`, kind `program`. */
export async function publishProgram(name: string, best: SynthProgramReport, result: SynthResult, locations: LibraryLocations = {}): Promise<LibraryEntry> {
  const libraries = new Libraries(locations);
  try {
    return await addProgram(libraries.user, {
      name,
      text: best.text,
      type: 'value',
      games: [result.game],
      // One line per rung for `arbor library list`, and the figures themselves for scripts.
      measured: {
        ...Object.fromEntries(best.measured.map((r) => [`vs ${r.opponent}`, `${(100 * r.score).toFixed(0)}% (${r.wins}-${r.draws}-${r.losses})`])),
        rungs: best.measured.map((r) => ({ opponent: r.opponent, score: r.score, wins: r.wins, draws: r.draws, losses: r.losses, games: r.games })),
      },
      parents: result.libraryFunctions.filter((f) => best.text.includes(`(define (${f} `)),
      meta: {
        synthesis: { seed: result.seed, budget: result.budget, size: best.size, evaluated: result.stats.evaluated, gamesPlayed: result.stats.gamesPlayed, elapsedMs: result.stats.elapsedMs },
      },
    });
  } finally {
    libraries.close();
  }
}
