import type { Library, LibraryEntry } from '../../transfer/index.js';
import { typeToString } from '../ast.js';
import { libraryFunctionText } from '../library-functions.js';
import { printProgram } from '../print.js';
import type { CompressionResult, CorpusProgram, LearnedAbstraction } from './compress.js';

/**
 * What `arbor library abstract` keeps: each abstraction as a `program` entry of the user library
 * named as the function (type: its function type; games: those of the programs that call it;
 * measured: uses, programs, compression; parents: the library programs it was learned from), and
 * the rewritten programs as text that says which library functions it calls.
 */

/** The measured figures stored with an abstraction. */
export function abstractionFigures(a: LearnedAbstraction, result: CompressionResult): Record<string, number> {
  return {
    uses: a.uses,
    programs: a.programs.length,
    compression: a.compression,
    corpusBefore: result.sizeBefore,
    corpusAfter: result.sizeAfter,
  };
}

/** Adds every abstraction of `result` to `library`, all in one transaction (an abstraction learned before, same name and body, is replaced with its new figures). */
export async function addAbstractions(library: Library, result: CompressionResult, corpus: readonly CorpusProgram[]): Promise<LibraryEntry[]> {
  if (result.abstractions.length === 0) return [];
  const { programEntry } = await import('../../transfer/library-programs.js');
  const entryOf = new Map(corpus.map((c) => [c.source, c.entry]));
  return library.add(result.abstractions.map((a) => programEntry({
    name: a.fn.name,
    text: libraryFunctionText(a.fn),
    type: typeToString(a.fn.type),
    games: a.games,
    reads: a.fn.type.args.map(typeToString),
    writes: [typeToString(a.fn.type.result)],
    measured: abstractionFigures(a, result),
    parents: [...new Set(a.programs.map((s) => entryOf.get(s)).filter((e): e is string => e !== undefined))],
    meta: { sources: a.programs, learnedBy: 'arbor library abstract' },
  })), { replace: true });
}

/** A rewritten program's text: its game and the library functions it calls in comments, then the program. */
export function rewrittenText(p: CorpusProgram, functions: readonly string[]): string {
  const header = [`; game: ${p.games[0]}`, `; rewritten by arbor library abstract from ${p.source}`];
  if (functions.length > 0) header.push(`; calls library functions ${functions.join(', ')} (resolved through your library when the program is loaded)`);
  return `${header.join('\n')}\n${printProgram(p.program)}`;
}
