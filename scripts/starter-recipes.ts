/**
 * The recipes of the starter library (scripts/starter-library.json): which networks ship in
 * data/library/, how each is trained (the `arbor train` arguments and config overrides) and what is
 * measured before it is published. Read and checked here; built by scripts/starter-library.ts.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ArborError } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import { checkEntryName, sha256 } from '../src/transfer/index.js';
import { hasOracle } from '../src/selfplay/evaluation.js';

export const RECIPES_FORMAT = 'arbor-starter-recipes/1';

/** Oracle test: the network (assembled for `game` by role when it was trained on another size or game) on the game's shipped decisive positions. */
const oracleMeasure = z.object({
  kind: z.literal('oracle'),
  game: z.string().min(1),
  simulations: z.number().int().min(1).max(100_000),
  /** How many decisive positions, evenly spaced through the shipped file; absent = all of them. */
  positions: z.number().int().min(1).optional(),
}).strict();

/** The run's last evaluation (Elo, results against its reference agents, the in-run oracle): required to be there. */
const evaluationMeasure = z.object({ kind: z.literal('evaluation') }).strict();

const measure = z.discriminatedUnion('kind', [oracleMeasure, evaluationMeasure]);

const recipe = z.object({
  name: z.string(),
  description: z.string().min(1),
  /** `arbor train` arguments, without --run-dir, --resume, --overwrite, --config, --publish, --library, --json (the build sets those). */
  train: z.array(z.string()).min(1),
  /** Training config overrides (what `arbor train --config FILE` would read), written beside the run folder. */
  config: z.record(z.string(), z.unknown()).default({}),
  measure: z.array(measure).min(1),
}).strict();

const recipeBook = z.object({
  format: z.literal(RECIPES_FORMAT),
  /** The starter library may not grow past this many bytes (blobs and index). */
  maxBytes: z.number().int().min(1),
  /** Run folders, relative to the package root: RUNS/NAME. */
  runsDir: z.string().min(1),
  recipes: z.array(recipe).min(1),
}).strict();

export type OracleMeasure = z.infer<typeof oracleMeasure>;
export type Measure = z.infer<typeof measure>;
export type Recipe = z.infer<typeof recipe>;
export type RecipeBook = z.infer<typeof recipeBook> & { readonly source: string };

/** Options the build sets itself: a recipe giving one would fight it. */
const BUILD_OPTIONS = ['--run-dir', '--resume', '--overwrite', '--config', '--publish', '--library', '--json'];

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function describeIssue(source: string, issue: z.core.$ZodIssue): string {
  const field = fieldName(issue.path);
  if (issue.code === 'unrecognized_keys') return `${source}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}${field ? ` in ${field}` : ''}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${source}: missing field "${field}"`;
  if (field === 'format') return `${source}: field "format" must be "${RECIPES_FORMAT}"`;
  return `${source}: field "${field}": ${issue.message}`;
}

/** The values an option takes in an argument list (`--seed 1` and `--seed=1` both count). */
export function optionValues(args: readonly string[], option: string): string[] {
  const values: string[] = [];
  args.forEach((a, i) => {
    if (a === option) values.push(args[i + 1] ?? '');
    else if (a.startsWith(`${option}=`)) values.push(a.slice(option.length + 1));
  });
  return values;
}

/** Checks what can be checked without training: names, the options a recipe may give, measurement games. */
function checkRecipe(r: Recipe, where: string): void {
  checkEntryName(r.name, `${where}: recipe name`);
  const given = (option: string) => optionValues(r.train, option).length > 0;
  for (const option of BUILD_OPTIONS) {
    if (given(option)) throw new ArborError(`${where} (${r.name}): train gives ${option}, which the build sets itself; remove it${option === '--config' ? ' and put the overrides in the recipe\'s "config" object' : ''}`);
  }
  if (!given('--game')) throw new ArborError(`${where} (${r.name}): train has no --game; give the game (or games) to train, e.g. "--game", "connect4"`);
  if (!given('--seed')) throw new ArborError(`${where} (${r.name}): train has no --seed; a shipped network must be reproducible, add e.g. "--seed", "1"`);
  if (!given('--minutes') && !given('--iterations')) throw new ArborError(`${where} (${r.name}): train has no budget; add "--minutes", "30" (or "--iterations", N)`);
  for (const spec of optionValues(r.train, '--game')) createGame(spec);
  r.measure.forEach((m, i) => {
    if (m.kind !== 'oracle') return;
    const game = createGame(m.game);
    if (!hasOracle(game)) throw new ArborError(`${where} (${r.name}): measure[${i}]: ${game.spec} has no solver with shipped labelled positions; oracle tests need one (connect4 6x7, tictactoe)`);
  });
  if (!r.measure.some((m) => m.kind === 'evaluation')) {
    throw new ArborError(`${where} (${r.name}): measure has no {"kind":"evaluation"}; every starter entry records its run's last evaluation`);
  }
}

/** Validates a recipe book (parsed JSON); `source` names it in errors. */
export function parseRecipes(json: unknown, source: string): RecipeBook {
  const parsed = recipeBook.safeParse(json);
  if (!parsed.success) throw new ArborError(describeIssue(source, parsed.error.issues[0]));
  const book = parsed.data;
  const names = new Set<string>();
  book.recipes.forEach((r, i) => {
    checkRecipe(r, `${source}: recipes[${i}]`);
    if (names.has(r.name)) throw new ArborError(`${source}: recipe ${r.name} is given twice; give each starter entry one recipe`);
    names.add(r.name);
  });
  return { ...book, source };
}

/** Reads and validates a recipe file. */
export function readRecipes(path: string): RecipeBook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ArborError(`cannot read the recipe file ${path}; give the starter library's recipes (scripts/starter-library.json)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ArborError(`${path} is not valid JSON (${(e as Error).message})`);
  }
  return parseRecipes(json, path);
}

/** The recipe as a published entry records it, and its checksum: an entry built from the same recipe is up to date. */
export function recipeRecord(r: Recipe): { name: string; train: string[]; config: Record<string, unknown>; measure: Measure[]; checksum: string } {
  const body = { name: r.name, train: [...r.train], config: r.config, measure: r.measure };
  return { ...body, checksum: sha256(canonicalJson(body)) };
}

/** JSON with object keys sorted, so equal recipes give equal checksums whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The recipe as one `arbor train` command line (for --list and the docs). */
export function trainCommandLine(r: Recipe, runDir: string, configFile: string | null): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['arbor', 'train', ...r.train, '--run-dir', runDir, ...(configFile ? ['--config', configFile] : [])].map(quote).join(' ');
}
