import { mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborError } from '../../src/core/index.js';
import { BLOBS_DIR, Libraries, Library, netCheckpointDir } from '../../src/transfer/index.js';
import { buildStarterLibrary, packageRoot, planTraining, runStatus, type RecipeResult, type TrainPlan } from '../../scripts/starter-library.js';
import { parseRecipes, readRecipes, recipeRecord, type RecipeBook } from '../../scripts/starter-recipes.js';

/**
 * The starter library's build (npm run build-library): recipes checked before anything trains; a
 * tiny tic-tac-toe recipe trained by the compiled `arbor train` (npm test builds dist/ first),
 * measured and published as a net with its modules; skipped when up to date; refused over the size
 * limit; a run short of its budget seen as part way; another run in the folder refused.
 */

const root = packageRoot();

function recipeJson(runsDir: string, overrides: { train?: string[]; maxBytes?: number } = {}): unknown {
  return {
    format: 'arbor-starter-recipes/1',
    maxBytes: overrides.maxBytes ?? 8 * 1024 * 1024,
    runsDir,
    recipes: [{
      name: 'ttt-tiny',
      description: 'tic-tac-toe, one iteration',
      train: overrides.train ?? ['--game', 'tictactoe', '--preset', 'quick', '--iterations', '1', '--seed', '1', '--workers', '1'],
      // Few games, a small evaluation and no closing test: the test is about the build, not strength.
      config: { selfplay: { gamesPerIteration: 8 }, evaluation: { gamesPerOpponent: 2, opponents: ['random'], previousCheckpoints: 0, perfectPlayGames: 0, oracle: false }, final: { games: 0 } },
      measure: [{ kind: 'evaluation' }, { kind: 'oracle', game: 'tictactoe', simulations: 8, positions: 10 }],
    }],
  };
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArborError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('recipes', () => {
  const good = recipeJson('runs/library') as { recipes: Record<string, unknown>[] };
  const withRecipe = (patch: Record<string, unknown>) => ({ ...good, recipes: [{ ...good.recipes[0], ...patch }] });

  it('the shipped recipe file reads, with the four starter entries', () => {
    const book = readRecipes(join(root, 'scripts', 'starter-library.json'));
    expect(book.recipes.map((r) => r.name)).toEqual(['c4-family', 'mnk-family', 'othello-family', 'multi-game']);
    expect(book.recipes[0].train).toEqual(['--game', 'connect4', '--sizes', '4x5,5x6', '--preset', 'standard', '--minutes', '30', '--seed', '1']);
    expect(book.recipes[0].config).toEqual({ final: { minStones: 0 } });
  });

  it('a bad recipe file is one line naming the field and the fix', () => {
    expect(errorOf(() => parseRecipes({ ...good, format: 'x' }, 'r.json'))).toBe('r.json: field "format" must be "arbor-starter-recipes/1"');
    expect(errorOf(() => parseRecipes({ ...good, extra: 1 }, 'r.json'))).toBe('r.json: unknown field "extra"');
    expect(errorOf(() => parseRecipes({ ...good, recipes: [{ ...good.recipes[0], measure: undefined }] }, 'r.json'))).toBe('r.json: missing field "recipes[0].measure"');
    expect(errorOf(() => parseRecipes(withRecipe({ train: ['--game', 'tictactoe', '--seed', '1', '--iterations', '1', '--run-dir', 'x'] }), 'r.json')))
      .toBe('r.json: recipes[0] (ttt-tiny): train gives --run-dir, which the build sets itself; remove it');
    expect(errorOf(() => parseRecipes(withRecipe({ train: ['--game', 'tictactoe', '--iterations', '1'] }), 'r.json'))).toMatch(/train has no --seed; a shipped network must be reproducible/);
    expect(errorOf(() => parseRecipes(withRecipe({ train: ['--game', 'tictactoe', '--seed', '1'] }), 'r.json'))).toMatch(/train has no budget; add "--minutes", "30"/);
    expect(errorOf(() => parseRecipes(withRecipe({ train: ['--game', 'tictactoee', '--seed', '1', '--iterations', '1'] }), 'r.json'))).toMatch(/tictactoee/);
    expect(errorOf(() => parseRecipes(withRecipe({ name: 'bad name' }), 'r.json'))).toMatch(/recipe name "bad name" is not allowed/);
    expect(errorOf(() => parseRecipes(withRecipe({ measure: [{ kind: 'evaluation' }, { kind: 'oracle', game: 'gomoku:size=7,k=4', simulations: 1 }] }), 'r.json')))
      .toMatch(/measure\[1\]: gomoku:rows=7,cols=7,k=4 has no solver with shipped labelled positions/);
    expect(errorOf(() => parseRecipes(withRecipe({ measure: [{ kind: 'oracle', game: 'tictactoe', simulations: 1 }] }), 'r.json'))).toMatch(/measure has no \{"kind":"evaluation"\}/);
    expect(errorOf(() => parseRecipes({ ...good, recipes: [good.recipes[0], good.recipes[0]] }, 'r.json'))).toBe('r.json: recipe ttt-tiny is given twice; give each starter entry one recipe');
  });

  it('train arguments are read by arbor train itself: unknown options fail, a repeated option it keeps once is unsupported', () => {
    expect(planTraining(['--game', 'connect4', '--sizes', '4x5,5x6', '--minutes', '30', '--seed', '1'])).toEqual({
      plan: { games: ['connect4:rows=4,cols=5', 'connect4:rows=5,cols=6'], minutes: 30, iterations: undefined, preset: undefined, seed: '1', init: undefined },
    });
    expect(errorOf(() => planTraining(['--game', 'connect4', '--minuts', '30']))).toBe('its train arguments: arbor train does not take --minuts; see arbor train --help');
    expect(errorOf(() => planTraining(['--game', 'connect4', '--minutes', 'x']))).toMatch(/--minutes x is not a positive number/);
    expect(planTraining(['--game', 'connect4', '--seed', '1', '--seed', '2', '--minutes', '1'])).toEqual({ unsupported: expect.stringMatching(/^this arbor train takes --seed once \(given 2 times/) });
  });
});

describe('building the starter library', () => {
  it('trains, measures and publishes a net with its modules; skips it when up to date; keeps to the size limit; rebuilds', async () => {
    const work = mkdtempSync(join(tmpdir(), 'arbor-starter-'));
    const runs = join(work, 'runs');
    const starterDir = join(work, 'starter');
    const lines: string[] = [];
    const build = async (json: unknown, rebuild: string[] = []): Promise<RecipeResult> => {
      const book: RecipeBook = parseRecipes(json, 'test-recipes.json');
      const [result] = await buildStarterLibrary({ book, root, starterDir, quiet: true, rebuild, log: (l) => lines.push(l) });
      return result;
    };

    // A recipe that cannot run is one line, and the next one still builds.
    const tiny = recipeJson(runs) as { recipes: Record<string, unknown>[] };
    const twoSeeds = { ...tiny.recipes[0], name: 'two-seeds', train: ['--game', 'tictactoe', '--seed', '1', '--seed', '2', '--iterations', '1'] };
    const misspelt = { ...tiny.recipes[0], name: 'misspelt', train: ['--game', 'tictactoe', '--seed', '1', '--iteration', '1', '--minutes', '1'] };
    const results = await buildStarterLibrary({ book: parseRecipes({ ...tiny, recipes: [twoSeeds, misspelt, ...tiny.recipes] }, 'test-recipes.json'), root, starterDir, quiet: true, log: (l) => lines.push(l) });
    expect(results.map((r) => r.line.replace(/\(net.*/, ''))).toEqual([
      'two-seeds: skipped: this arbor train takes --seed once (given 2 times, only the last would count); it needs an arbor whose train accepts a repeated --seed',
      'misspelt: failed: its train arguments: arbor train does not take --iteration; see arbor train --help',
      'ttt-tiny: published ttt-tiny ',
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['unsupported', 'failed', 'published']);
    const first = results[2];
    expect(first.line).toMatch(/^ttt-tiny: published ttt-tiny \(net, 5 modules, \d+\.\d\d MB\): tictactoe, 8 self-play games; starter library \d+\.\d\d MB$/);
    expect(lines.at(-1)).toMatch(/^starter library .*starter: \d+\.\d\d MB of its 8\.00 MB limit$/);

    const libraries = new Libraries({ user: join(work, 'no-user-library'), starter: starterDir });
    const net = libraries.get('ttt-tiny');
    expect(net).toMatchObject({ kind: 'net', library: 'starter', games: ['tictactoe'], sizes: ['3x3'], selfPlayGames: 8, parents: [] });
    expect(net.meta.recipe).toEqual(recipeRecord(parseRecipes(recipeJson(runs), 'x').recipes[0]));
    const evaluation = net.measured.evaluation as { checkpoint: string; results: unknown[] };
    expect(evaluation.checkpoint).toBe('iter-000001');
    expect(evaluation.results).toEqual([expect.objectContaining({ opponent: 'random' })]);
    const [oracle] = net.measured.oracleTests as { game: string; simulations: number; zeroShot: boolean; decisivePositions: number; decisiveClassOptimalRate: number }[];
    expect(oracle).toMatchObject({ game: 'tictactoe', simulations: 8, zeroShot: false, decisivePositions: 10 });
    // A share of the 10 decisive positions graded: a whole number of tenths between 0 and 1.
    expect(oracle.decisiveClassOptimalRate).toBeGreaterThanOrEqual(0);
    expect(oracle.decisiveClassOptimalRate).toBeLessThanOrEqual(1);
    expect(Math.abs(oracle.decisiveClassOptimalRate * 10 - Math.round(oracle.decisiveClassOptimalRate * 10))).toBeLessThan(1e-9);
    expect(libraries.list().map((e) => `${e.name} ${e.kind}`)).toEqual([
      'ttt-tiny net', 'ttt-tiny/policy policy', 'ttt-tiny/policy:place policy-head:place', 'ttt-tiny/stem stem', 'ttt-tiny/trunk trunk', 'ttt-tiny/value value-head',
    ]);
    expect(readdirSync(netCheckpointDir(net)).sort()).toEqual(['entry.json', 'meta.json', 'model.json', 'model.onnx', 'weights.bin']);
    libraries.close();

    // The same recipe again: nothing trains, nothing changes.
    const stateFile = join(runs, 'ttt-tiny', 'state.json');
    const trainedAt = statSync(stateFile).mtimeMs;
    const again = await build(recipeJson(runs));
    expect(again).toMatchObject({ outcome: 'up-to-date', line: `ttt-tiny: up to date (built ${net.createdAt} from this recipe); --rebuild ttt-tiny replaces it` });

    // A rebuild that would pass the size limit is refused, and the entry stays as it was.
    const small = await build(recipeJson(runs, { maxBytes: 100_000 }), ['ttt-tiny']);
    expect(small.outcome).toBe('failed');
    expect(small.line).toMatch(/^ttt-tiny: failed: not published: with it \(\d+\.\d\d MB\) the starter library would hold \d+\.\d\d MB, over its 0\.10 MB limit \(maxBytes in test-recipes\.json\); train a smaller network/);
    expect(statSync(stateFile).mtimeMs).toBe(trainedAt); // the finished run was reused, not retrained
    const kept = Library.open(starterDir, 'starter');
    expect(kept.find('ttt-tiny')?.createdAt).toBe(net.createdAt);
    kept.close();

    // Another seed in the same run folder: refused before training.
    const other = await build(recipeJson(runs, { train: ['--game', 'tictactoe', '--preset', 'quick', '--iterations', '1', '--seed', '2', '--workers', '1'] }));
    expect(other.outcome).toBe('failed');
    expect(other.line).toMatch(/^ttt-tiny: failed: run folder .*ttt-tiny holds another run \(--seed 2 differs from the run's config \(seed=1\)\); move it aside to train this recipe afresh$/);

    // A longer budget: the finished run is now part way, and the build would resume it (arbor train --resume, tested with train).
    const { plan } = planTraining(['--game', 'tictactoe', '--preset', 'quick', '--iterations', '2', '--seed', '1']) as { plan: TrainPlan };
    expect(runStatus(join(runs, 'ttt-tiny'), plan, join(runs, 'ttt-tiny.config.json'))).toMatchObject({ state: 'partial', iteration: 1 });
    expect(runStatus(join(runs, 'ttt-tiny'), { ...plan, iterations: 1 }, join(runs, 'ttt-tiny.config.json'))).toMatchObject({ state: 'finished', iteration: 1 });
    expect(runStatus(join(runs, 'absent'), plan, null)).toEqual({ state: 'absent' });
    // A time budget: the run's clock is the recorded one plus the evaluation after the last commit
    // (state.json rewritten after it), as the learner's own stop rule reads it.
    const byTime = { ...plan, iterations: undefined, minutes: 1 };
    const committed = statSync(join(runs, 'ttt-tiny', 'checkpoints', 'iter-000001')).mtime;
    utimesSync(stateFile, committed, committed);
    expect(runStatus(join(runs, 'ttt-tiny'), byTime, null)).toMatchObject({ state: 'partial', iteration: 1 });
    const evaluatedLate = new Date(committed.getTime() + 70_000);
    utimesSync(stateFile, evaluatedLate, evaluatedLate);
    expect(runStatus(join(runs, 'ttt-tiny'), byTime, null)).toMatchObject({ state: 'finished', iteration: 1 });
    const trainedAtNow = statSync(stateFile).mtimeMs;

    // --rebuild with room to spare: the same network measured again replaces the entry, blobs and all.
    const rebuilt = await build(recipeJson(runs), ['ttt-tiny']);
    expect(rebuilt.outcome, rebuilt.line).toBe('published');
    expect(statSync(stateFile).mtimeMs).toBe(trainedAtNow);
    const after = Library.open(starterDir, 'starter');
    expect(after.find('ttt-tiny')!.createdAt > net.createdAt).toBe(true);
    expect(after.names()).toHaveLength(6);
    expect(readdirSync(join(starterDir, BLOBS_DIR)).length).toBe(new Set(after.list().map((e) => e.checksum)).size);
    after.close();
  }, 120_000);
});
