import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ArborError } from '../../core/index.js';
import { fromJson } from '../json.js';
import { isFunctionTypeText, resolveLibraryFunctions } from '../library-functions.js';
import { PROGRAM_EXTENSION, readProgramText } from '../load.js';
import { parseProgram } from '../parse.js';
import { primitives, type PrimitiveLookup } from '../registry.js';
import type { CorpusProgram } from './compress.js';

/**
 * The inputs of `arbor library abstract` (docs/programs-abstraction.md):
 * - `FILE.arb`: one program; its game from a `; game: SPEC` comment line in the file or from a
 *   `@SPEC` suffix on the argument (`a.arb@connect4`, which wins);
 * - `FILE.json`: a synthesis result, `{"game"?: SPEC, "programs": [{"text": ..., "game"?: SPEC}, ...]}`
 *   (what `arbor synth --out` writes; each program's own `game`, else the file's), or one
 *   program in the language's JSON form (`{"format":"arbor-program",...}`, its game by `@SPEC`);
 * - `lib:NAME`: a `program` entry of the library (your library, then the starter one), its games
 *   the entry's.
 */

const GAME_LINE = /^\s*;+\s*games?:\s*(\S+)\s*$/m;

const synthResultSchema = z.object({
  game: z.string().min(1).optional(),
  programs: z.array(z.object({ text: z.string().min(1), game: z.string().min(1).optional() })).min(1),
});

/** Splits `PATH@GAME`: the game is what follows the last `@` after the file's extension. */
function splitGame(ref: string): { path: string; game?: string } {
  const m = /^(.*\.(?:arb|json))@([^@]+)$/.exec(ref);
  return m ? { path: m[1], game: m[2] } : { path: ref };
}

/** Reads every reference; `lib:NAME` from your library (`locations.user`, else $ARBOR_LIBRARY), then the starter library. */
export async function readCorpus(refs: readonly string[], locations: { user?: string; starter?: string } = {}): Promise<CorpusProgram[]> {
  const out: CorpusProgram[] = [];
  for (const ref of refs) out.push(...(await readCorpusRef(ref, locations)));
  return out;
}

async function readCorpusRef(ref: string, locations: { user?: string; starter?: string }): Promise<CorpusProgram[]> {
  if (ref.startsWith('lib:')) {
    const { readLibraryProgram } = await import('../../transfer/library-programs.js');
    const entry = readLibraryProgram(ref, locations);
    if (isFunctionTypeText(entry.type)) throw new ArborError(`${ref} is a library function (${entry.type}), not a program; give program entries (type policy or value)`);
    return [{ source: ref, games: entry.entry.games, program: parseProgram(entry.text, ref), entry: entry.entry.name }];
  }
  const { path, game } = splitGame(ref);
  if (path.endsWith('.json')) {
    if (!existsSync(path)) throw new ArborError(`program file ${path} not found; give ${PROGRAM_EXTENSION} files, synthesis results (.json) or lib:NAME`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ArborError(`${path}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof data === 'object' && data !== null && 'programs' in data) {
      const parsed = synthResultSchema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ArborError(`${path}: not a synthesis result at ${issue.path.join('.') || 'the top level'}: ${issue.message}; expected {"programs":[{"text":"(program ...)","game":"connect4"}]}`);
      }
      return parsed.data.programs.map((p, i) => {
        const source = `${path}#${i}`;
        const g = game ?? p.game ?? parsed.data.game;
        if (!g) throw new ArborError(`${source} names no game; add "game" to the program or the file, or write ${path}@GAME`);
        return { source, games: [g], program: parseProgram(p.text, source) };
      });
    }
    if (!game) throw new ArborError(`${path} is one program in JSON form, which names no game; write ${path}@GAME (e.g. ${path}@connect4)`);
    return [{ source: path, games: [game], program: fromJson(data, path) }];
  }
  const { text, source } = await readProgramText(path);
  const g = game ?? GAME_LINE.exec(text)?.[1];
  if (!g) throw new ArborError(`${path} names no game; add a line "; game: SPEC" to it or write ${path}@SPEC (e.g. ${path}@connect4)`);
  return [{ source, games: [g], program: parseProgram(text, source) }];
}

/**
 * The primitives a corpus is checked against: the registry's, plus the library functions its
 * programs call (programs synthesized with the library call them), read from your library
 * (`locations.user`, else $ARBOR_LIBRARY), then the starter library.
 */
export async function corpusPrimitives(corpus: readonly CorpusProgram[], locations: { user?: string; starter?: string } = {}): Promise<PrimitiveLookup> {
  let lookup: PrimitiveLookup = primitives;
  for (const c of corpus) lookup = await resolveLibraryFunctions(c.program, lookup, locations);
  return lookup;
}
