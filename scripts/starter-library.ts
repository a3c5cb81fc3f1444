/**
 * Builds the starter library (data/library/) from its recipes (scripts/starter-library.json): each
 * recipe's network is trained with `arbor train` (a run folder that stopped part way is resumed, a
 * finished one reused), measured, and published as a `net` entry split into its modules, with its
 * figures, games, sizes, lineage and the recipe itself. An entry built from the same recipe is
 * left alone; the library never grows past the recipe file's size limit. Run by
 * scripts/build-library.ts (`npm run build-library`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { ArborError, createAgent, deriveSeed, writeFileAtomic } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import { exportOnnx, resolveCheckpointDir, selectBackend } from '../src/networks/index.js';
import { evaluateAgentOnPositions } from '../src/solvers/index.js';
import { RunFolder, sizeSpecs, type TrainConfig } from '../src/selfplay/index.js';
import { modelAgentSpec } from '../src/selfplay/evaluation.js';
import { checkResumeOptions } from '../src/selfplay/resume-options.js';
import { decisivePositions } from '../src/selfplay/transfer-measure.js';
import { BLOBS_DIR, INDEX_FILE, Library, addNetwork, assembleNetwork, copyEntries, type LibraryEntry } from '../src/transfer/index.js';
import { buildProgram } from '../src/cli/program.js';
import { initOptions } from '../src/cli/train.js';
import { optionValues, recipeRecord, trainCommandLine, type OracleMeasure, type Recipe, type RecipeBook } from './starter-recipes.js';

/** The package root: the nearest folder above this file holding package.json (works from scripts/ and dist/scripts/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the build script');
    dir = up;
  }
  return dir;
}

export interface BuildOptions {
  readonly book: RecipeBook;
  /** The package root: run folders (book.runsDir) and recorded run paths are relative to it. */
  readonly root: string;
  /** The starter library folder to build (default ROOT/data/library). */
  readonly starterDir?: string;
  /** Build only these recipes (default: all). */
  readonly only?: readonly string[];
  /** Replace these entries even when they were built from the same recipe. */
  readonly rebuild?: readonly string[];
  /** Capture `arbor train`'s output instead of showing it (tests). */
  readonly quiet?: boolean;
  /** The compiled arbor command (default ROOT/dist/src/cli/main.js). */
  readonly cli?: string;
  /** One line per event (default: stdout). */
  readonly log?: (line: string) => void;
}

export type Outcome = 'published' | 'up-to-date' | 'unsupported' | 'failed';

export interface RecipeResult {
  readonly name: string;
  readonly outcome: Outcome;
  /** The one line that says what happened. */
  readonly line: string;
}

/** What a recipe's `arbor train` arguments ask for, read by arbor's own command-line parser. */
export interface TrainPlan {
  /** The game specs trained (two or more for a multi-size or multi-game run), canonical. */
  readonly games: string[];
  readonly minutes?: number;
  readonly iterations?: number;
  readonly preset?: string;
  readonly seed?: string;
  readonly init?: TrainConfig['init'];
}

export type RunStatus =
  | { readonly state: 'absent' }
  | { readonly state: 'partial' | 'finished'; readonly iteration: number; readonly minutes: number }
  | { readonly state: 'mismatch'; readonly reason: string };

/**
 * Reads `args` with the `arbor train` command of this arbor (so a recipe is checked against the
 * command as it is, not a copy of its options). An option given more than once that the command
 * does not collect (commander keeps the last) means the command cannot run the recipe: `unsupported`.
 */
export function planTraining(args: readonly string[]): { plan: TrainPlan } | { unsupported: string } {
  const program = buildProgram();
  const train = program.commands.find((c) => c.name() === 'train');
  if (!train) throw new ArborError('this arbor has no train command');
  train.exitOverride().configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  let unknown: string[];
  try {
    ({ unknown } = train.parseOptions([...args]));
  } catch (e) {
    if (e instanceof CommanderError) throw new ArborError(`its train arguments: ${e.message.replace(/^error: /, '')}`);
    throw e;
  }
  if (unknown.length > 0) throw new ArborError(`its train arguments: arbor train does not take ${unknown[0]}; see arbor train --help`);
  const opts = train.opts<Record<string, unknown>>();
  for (const option of new Set(args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]))) {
    const count = optionValues(args, option).length;
    if (count < 2) continue;
    const key = option.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = opts[key];
    if (!(Array.isArray(value) && value.length === count)) {
      return { unsupported: `this arbor train takes ${option} once (given ${count} times, only the last would count); it needs an arbor whose train accepts a repeated ${option}` };
    }
  }
  // arbor train collects --game into a list (given more than once: a multi-game run).
  const given = opts.game as string | string[];
  const gameList = Array.isArray(given) ? given : [given];
  if (opts.sizes !== undefined && gameList.length > 1) throw new ArborError('its train arguments give --sizes with several --game; give the sizes of one game, or several games without --sizes');
  const games = opts.sizes !== undefined
    ? sizeSpecs(gameList[0], opts.sizes as string)
    : gameList.map((g) => createGame(g).spec);
  return {
    plan: {
      games,
      minutes: opts.minutes as number | undefined,
      iterations: opts.iterations as number | undefined,
      preset: opts.preset as string | undefined,
      seed: opts.seed as string | undefined,
      init: initOptions(opts as { initFrom?: string; freeze?: string; reinit?: string; grow?: string }),
    },
  };
}

/**
 * Where a recipe's run folder stands: absent; started with another configuration (`mismatch`);
 * `partial` (resume it); or `finished`: it has a checkpoint and its budget is spent.
 *
 * A time budget is judged as the learner judges it: by its clock after the iteration's evaluation.
 * The learner now commits that clock with the evaluation; runs made before it did recorded the
 * clock at the iteration's commit only (the evaluation can take minutes: the Connect Four one plays
 * uct:simulations=2000 and the solver), so for them the clock at the stop is the last iteration
 * row's clock plus the time from the commit (the checkpoint folder's mtime) to the evaluation's end
 * (state.json's mtime). The larger of the two readings is taken. Run folders copied without their
 * mtimes (`cp -a` keeps them) are judged on the recorded clocks alone.
 */
/** The run clock (ms) the metrics row of `iteration` recorded at its commit; 0 when there is none. */
function lastIterationClockMs(runDir: string, iteration: number): number {
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) return 0;
  for (const line of readFileSync(path, 'utf8').split('\n').reverse()) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { type?: string; iteration?: number; elapsedS?: number };
    if (row.type === 'iteration' && row.iteration === iteration && typeof row.elapsedS === 'number') return row.elapsedS * 1000;
  }
  return 0;
}

export function runStatus(runDir: string, plan: TrainPlan, configFile: string | null): RunStatus {
  if (!existsSync(join(runDir, 'config.json'))) return { state: 'absent' };
  let manifest: ReturnType<typeof RunFolder.open>['manifest'];
  let state: ReturnType<typeof RunFolder.open>['state'];
  try {
    ({ manifest, state } = RunFolder.open(runDir));
  } catch (e) {
    if (e instanceof ArborError) return { state: 'mismatch', reason: e.message };
    throw e;
  }
  const recorded = (manifest.config.games ?? [manifest.config.game]).map((g) => createGame(g).spec);
  const sorted = (xs: readonly string[]) => [...xs].sort().join(', ');
  if (sorted(recorded) !== sorted(plan.games)) return { state: 'mismatch', reason: `it trains ${sorted(recorded)}, the recipe ${sorted(plan.games)}` };
  try {
    checkResumeOptions(manifest.config, {
      game: plan.games.length === 1 ? plan.games[0] : undefined, preset: plan.preset, seed: plan.seed, configFile: configFile ?? undefined, init: plan.init,
    });
  } catch (e) {
    if (e instanceof ArborError) return { state: 'mismatch', reason: e.message.replace(/^--resume: /, '').replace(/; drop it or start a new run$/, '') };
    throw e;
  }
  const iteration = state?.iteration ?? 0;
  if (!state?.checkpoint) return { state: 'partial', iteration, minutes: (state?.elapsedMs ?? 0) / 60_000 };
  const checkpointDir = join(runDir, 'checkpoints', state.checkpoint);
  const afterCommitMs = existsSync(checkpointDir) ? Math.max(0, statSync(join(runDir, 'state.json')).mtimeMs - statSync(checkpointDir).mtimeMs) : 0;
  const clockMs = Math.max(state.elapsedMs, lastIterationClockMs(runDir, state.iteration) + afterCommitMs);
  const byIterations = plan.iterations !== undefined && iteration >= plan.iterations;
  const byMinutes = plan.minutes !== undefined && clockMs >= plan.minutes * 60_000;
  return { state: byIterations || byMinutes ? 'finished' : 'partial', iteration, minutes: clockMs / 60_000 };
}

/** Bytes of every file under `dir` (0 when it does not exist). */
export function directoryBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  const stat = statSync(dir);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(dir).reduce((n, name) => n + directoryBytes(join(dir, name)), 0);
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** Runs `arbor train` with `args`; resolves with its exit code and the last line it wrote to stderr. */
function runArborTrain(cli: string, args: readonly string[], quiet: boolean): Promise<{ code: number | null; lastError: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, 'train', ...args], { stdio: quiet ? ['ignore', 'ignore', 'pipe'] : 'inherit' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, lastError: stderr.trim().split('\n').at(-1) ?? '' }));
  });
}

/** Figures of one oracle test, as a starter entry records them under measured.oracleTests. */
export interface OracleTestFigures {
  game: string;
  simulations: number;
  /** True when the network never trained on this game spec (assembled for it by role). */
  zeroShot: boolean;
  decisivePositions: number;
  /** Share of the decisive positions where the move keeps the game-theoretic result (issue 26's figure). */
  decisiveClassOptimalRate: number;
  /** ... where the move is also the best by the solver's score (fastest win, slowest loss). */
  decisiveScoreOptimalRate: number;
}

/**
 * The network of `checkpointDir` on `measure.game`'s shipped decisive positions: assembled for
 * that game by role (exact for the game it was trained on; a zero-shot transfer to another size or
 * game), exported to ONNX and played by `mcts` with the recipe's simulations (1 = the raw network).
 */
async function oracleTest(checkpointDir: string, trainedOn: readonly string[], measure: OracleMeasure, seed: string, scratch: string): Promise<OracleTestFigures> {
  const game = createGame(measure.game);
  const positions = decisivePositions(game, measure.positions ?? Number.MAX_SAFE_INTEGER);
  await selectBackend('auto', { quiet: true });
  const assembled = await assembleNetwork(game, checkpointDir);
  const onnx = join(scratch, `oracle-${game.spec.replace(/[^a-z0-9]+/gi, '-')}.onnx`);
  try {
    await exportOnnx(assembled.model, game, onnx);
  } finally {
    assembled.model.dispose();
  }
  const agent = await createAgent(modelAgentSpec(onnx, measure.simulations), { game, seed: deriveSeed(seed, 'starter-oracle', game.spec, measure.simulations) });
  try {
    const m = await evaluateAgentOnPositions(agent, game, positions);
    return {
      game: game.spec,
      simulations: measure.simulations,
      zeroShot: !trainedOn.includes(game.spec),
      decisivePositions: m.decisivePositions,
      decisiveClassOptimalRate: m.decisiveClassOptimalRate,
      decisiveScoreOptimalRate: m.decisiveScoreOptimalRate,
    };
  } finally {
    await agent.close?.();
  }
}

/**
 * The bytes the starter library will hold once `staged` (entries of `stage`) replace the entries
 * of the same names and their modules: today's size, less the blobs only the replaced entries use,
 * plus the staged blobs it lacks and the staged index (an upper bound for the rows it adds).
 */
function projectedBytes(starter: Library, stage: Library, staged: readonly LibraryEntry[]): { before: number; after: number; entry: number } {
  const before = directoryBytes(starter.dir);
  const names = new Set(staged.map((e) => e.name));
  const current = starter.list();
  const doomed = new Set(current.filter((e) => names.has(e.name) || e.parents.some((p) => names.has(p) && e.name.startsWith(`${p}/`))).map((e) => e.name));
  const keptBlobs = new Set([...current.filter((e) => !doomed.has(e.name)).map((e) => e.checksum), ...staged.map((e) => e.checksum)]);
  const blob = (dir: string, checksum: string) => directoryBytes(join(dir, BLOBS_DIR, checksum));
  const freed = [...new Set(current.filter((e) => doomed.has(e.name)).map((e) => e.checksum))].filter((c) => !keptBlobs.has(c)).reduce((n, c) => n + blob(starter.dir, c), 0);
  const stagedBlobs = [...new Set(staged.map((e) => e.checksum))];
  const entry = stagedBlobs.reduce((n, c) => n + blob(stage.dir, c), 0);
  const added = stagedBlobs.filter((c) => !existsSync(join(starter.dir, BLOBS_DIR, c))).reduce((n, c) => n + blob(stage.dir, c), 0);
  return { before, after: before - freed + added + directoryBytes(join(stage.dir, INDEX_FILE)), entry };
}

class RecipeFailure extends Error {}

/** Builds every recipe (or those of `only`); a recipe that fails is one line, the others still build. */
export async function buildStarterLibrary(o: BuildOptions): Promise<RecipeResult[]> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const starterDir = resolve(o.starterDir ?? join(o.root, 'data', 'library'));
  const cli = o.cli ?? join(o.root, 'dist', 'src', 'cli', 'main.js');
  const names = new Set(o.book.recipes.map((r) => r.name));
  for (const name of [...(o.only ?? []), ...(o.rebuild ?? [])]) {
    if (!names.has(name)) throw new ArborError(`no recipe ${name} in ${o.book.source}; recipes: ${[...names].join(', ')}`);
  }
  if (!existsSync(cli)) throw new ArborError(`${cli} is missing; build arbor first (npm run build)`);
  const recipes = o.book.recipes.filter((r) => !o.only || o.only.length === 0 || o.only.includes(r.name));
  const results: RecipeResult[] = [];
  for (const recipe of recipes) {
    const result = await buildRecipe(recipe, { ...o, log, starterDir, cli });
    log(result.line);
    results.push(result);
  }
  log(`starter library ${starterDir}: ${megabytes(directoryBytes(starterDir))} of its ${megabytes(o.book.maxBytes)} limit`);
  return results;
}

async function buildRecipe(recipe: Recipe, o: BuildOptions & { log: (line: string) => void; starterDir: string; cli: string }): Promise<RecipeResult> {
  const { name } = recipe;
  const record = recipeRecord(recipe);
  const result = (outcome: Outcome, text: string): RecipeResult => ({ name, outcome, line: `${name}: ${text}` });
  const starter = Library.open(o.starterDir, 'user');
  try {
    const present = starter.find(name);
    const presentRecipe = present?.meta.recipe as { checksum?: string } | undefined;
    if (present && presentRecipe?.checksum === record.checksum && !o.rebuild?.includes(name)) {
      return result('up-to-date', `up to date (built ${present.createdAt} from this recipe); --rebuild ${name} replaces it`);
    }
    const planned = planTraining(recipe.train);
    if ('unsupported' in planned) return result('unsupported', `skipped: ${planned.unsupported}`);
    const { plan } = planned;
    const runsDir = resolve(o.root, o.book.runsDir);
    const runDir = join(runsDir, name);
    let configFile: string | null = null;
    if (Object.keys(recipe.config).length > 0) {
      configFile = join(runsDir, `${name}.config.json`);
      await writeFileAtomic(configFile, `${JSON.stringify(recipe.config, null, 2)}\n`);
    }
    const status = runStatus(runDir, plan, configFile);
    if (status.state === 'mismatch') {
      throw new RecipeFailure(`run folder ${runDir} holds another run (${status.reason}); move it aside to train this recipe afresh`);
    }
    if (status.state !== 'finished') {
      const args = [...recipe.train, '--run-dir', runDir, ...(configFile ? ['--config', configFile] : []), ...(status.state === 'partial' ? ['--resume'] : [])];
      o.log(`${name}: ${status.state === 'partial' ? `resuming the run after iteration ${status.iteration} (${status.minutes.toFixed(1)} min trained)` : 'training'}: ${trainCommandLine(recipe, relative(o.root, runDir), configFile && relative(o.root, configFile))}${status.state === 'partial' ? ' --resume' : ''}`);
      const trained = await runArborTrain(o.cli, args, o.quiet === true);
      // arbor train ends with 0 only when it stopped at the recipe's budget: the run is finished.
      if (trained.code !== 0) throw new RecipeFailure(`arbor train stopped with exit code ${String(trained.code)}${trained.lastError ? `: ${trained.lastError}` : ' (its message is above)'}`);
    } else {
      o.log(`${name}: reusing the finished run ${relative(o.root, runDir)} (${status.iteration} iterations, ${status.minutes.toFixed(1)} min)`);
    }
    return await publish(recipe, record, runDir, starter, o, result);
  } catch (e) {
    if (e instanceof RecipeFailure || e instanceof ArborError) return result('failed', `failed: ${e.message}`);
    throw e;
  } finally {
    starter.close();
  }
}

/** Measures the run's latest network and publishes it (net + modules) into the starter library, within its size limit. */
async function publish(
  recipe: Recipe, record: ReturnType<typeof recipeRecord>, runDir: string, starter: Library,
  o: BuildOptions & { log: (line: string) => void },
  result: (outcome: Outcome, text: string) => RecipeResult,
): Promise<RecipeResult> {
  const { manifest } = RunFolder.open(runDir);
  const trainedSpecs = (manifest.config.games ?? [manifest.config.game]).map((g) => createGame(g).spec);
  const checkpointDir = resolveCheckpointDir(runDir);
  mkdirSync(dirname(runDir), { recursive: true });
  const scratch = mkdtempSync(join(dirname(runDir), `.${recipe.name}-publish-`));
  try {
    const oracleTests: OracleTestFigures[] = [];
    for (const m of recipe.measure) {
      if (m.kind !== 'oracle') continue;
      const figures = await oracleTest(checkpointDir, trainedSpecs, m, manifest.seed, scratch);
      o.log(`${recipe.name}: ${figures.game}${figures.zeroShot ? ' (zero-shot)' : ''}, ${figures.simulations === 1 ? 'raw network' : `search ${figures.simulations} simulations`}: ${(100 * figures.decisiveClassOptimalRate).toFixed(1)}% of ${figures.decisivePositions} decisive positions keep the result`);
      oracleTests.push(figures);
    }
    const trainedOn = trainedSpecs.length > 1 ? trainedSpecs.map((spec) => {
      const g = createGame(spec);
      return { spec, rows: g.shape.rows, cols: g.shape.cols };
    }) : undefined;
    const init = manifest.config.init;
    const stage = Library.open(join(scratch, 'library'), 'user');
    try {
      const staged = await addNetwork(stage, runDir, recipe.name, {
        measured: oracleTests.length > 0 ? { oracleTests } : {},
        ...(trainedOn ? { trainedOn } : {}),
        parents: init && init.from.startsWith('lib:') ? [init.from.slice(4)] : [],
        meta: { recipe: record },
        run: relative(o.root, runDir),
      });
      if (recipe.measure.some((m) => m.kind === 'evaluation') && staged[0].measured.evaluation === undefined) {
        throw new RecipeFailure(`the run in ${runDir} recorded no evaluation of its network; set evaluation.every > 0 in the recipe's config`);
      }
      const size = projectedBytes(starter, stage, staged);
      if (size.after > o.book.maxBytes) {
        throw new RecipeFailure(`not published: with it (${megabytes(size.entry)}) the starter library would hold ${megabytes(size.after)}, over its ${megabytes(o.book.maxBytes)} limit (maxBytes in ${o.book.source}); train a smaller network (the recipe's config "model") or raise the limit`);
      }
      const added = await copyEntries(stage, staged.map((e) => e.name), starter, { replace: true });
      return result('published', `published ${added[0].name} (net, ${added.length - 1} modules, ${megabytes(size.entry)}): ${added[0].games.join(' ')}, ${added[0].selfPlayGames ?? '?'} self-play games; starter library ${megabytes(directoryBytes(starter.dir))}`);
    } finally {
      stage.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
