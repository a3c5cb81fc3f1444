/**
 * Builds the starter library shipped in data/library/ from scripts/starter-library.json:
 *
 *   npm run build-library                      every recipe (trains what is not trained yet)
 *   npm run build-library -- --list            the recipes, their commands and where each stands
 *   npm run build-library -- --only c4-family  one recipe (a comma list for several)
 *   npm run build-library -- --rebuild c4-family   replace an entry built from the same recipe
 *
 * Each recipe trains with `arbor train` into RUNS/NAME (runsDir in the recipe file): a run that
 * stopped part way is resumed, a finished one reused. Then its network is measured and published
 * as a net entry with its modules. Exit code 0 when every recipe asked for is published or up to
 * date, 1 when one failed or was skipped, 2 for a bad command line or recipe file.
 */
import { Command, CommanderError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ArborError, writeFileAtomicSync } from '../src/core/index.js';
import { Library } from '../src/transfer/index.js';
import { buildStarterLibrary, directoryBytes, megabytes, packageRoot, planTraining, runStatus } from './starter-library.js';
import { readRecipes, recipeRecord, trainCommandLine, type RecipeBook } from './starter-recipes.js';

function list(book: RecipeBook, root: string, starterDir: string): void {
  const starter = Library.open(starterDir, 'starter');
  const scratch = mkdtempSync(join(tmpdir(), 'arbor-recipes-'));
  try {
    for (const recipe of book.recipes) {
      const runDir = join(resolve(root, book.runsDir), recipe.name);
      const configFile = Object.keys(recipe.config).length > 0 ? join(book.runsDir, `${recipe.name}.config.json`) : null;
      const entry = starter.find(recipe.name);
      const built = !entry ? 'not built' : (entry.meta.recipe as { checksum?: string } | undefined)?.checksum === recipeRecord(recipe).checksum ? `built ${entry.createdAt}` : 'built from another recipe (the build replaces it)';
      let run: string;
      try {
        const planned = planTraining(recipe.train);
        if ('unsupported' in planned) run = `not buildable here: ${planned.unsupported}`;
        else {
          // The run's config is compared with the recipe's overrides as `arbor train --resume --config FILE` compares them.
          const overrides = configFile ? join(scratch, `${recipe.name}.config.json`) : null;
          if (overrides) writeFileAtomicSync(overrides, JSON.stringify(recipe.config));
          run = describeRun(runStatus(runDir, planned.plan, overrides));
        }
      } catch (e) {
        if (!(e instanceof ArborError)) throw e;
        run = `not buildable: ${e.message}`;
      }
      process.stdout.write(`${recipe.name}: ${recipe.description}\n`);
      process.stdout.write(`  train    ${trainCommandLine(recipe, join(book.runsDir, recipe.name), configFile)}\n`);
      if (configFile) process.stdout.write(`  config   ${JSON.stringify(recipe.config)}\n`);
      process.stdout.write(`  measure  ${recipe.measure.map((m) => (m.kind === 'oracle' ? `oracle on ${m.game} (${m.simulations === 1 ? 'raw network' : `${m.simulations} simulations`}${m.positions ? `, ${m.positions} positions` : ''})` : 'the run\'s last evaluation')).join('; ')}\n`);
      process.stdout.write(`  run      ${run}\n  entry    ${built}\n`);
    }
    process.stdout.write(`starter library ${relative(process.cwd(), starterDir) || '.'}: ${megabytes(directoryBytes(starterDir))} of its ${megabytes(book.maxBytes)} limit\n`);
  } finally {
    starter.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function describeRun(status: ReturnType<typeof runStatus>): string {
  switch (status.state) {
    case 'absent': return 'not started';
    case 'mismatch': return `the folder holds another run (${status.reason})`;
    default: return `${status.state}: ${status.iteration} iterations, ${status.minutes.toFixed(1)} min`;
  }
}

async function main(): Promise<number> {
  const root = packageRoot();
  const names = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
  const program = new Command()
    .name('build-library')
    .description('build the starter library (data/library) from its recipes')
    .option('--recipes <file>', 'the recipe file', join(root, 'scripts', 'starter-library.json'))
    .option('--out <dir>', 'the starter library folder', join(root, 'data', 'library'))
    .option('--list', 'print the recipes, their commands and where each stands, and stop')
    .option('--only <names>', 'build only these recipes (comma-separated)', names)
    .option('--rebuild <names>', 'replace these entries even if built from the same recipe (comma-separated)', names)
    .option('--quiet', 'do not show arbor train\'s progress')
    .exitOverride();
  program.parse(process.argv);
  const opts = program.opts<{ recipes: string; out: string; list?: boolean; only?: string[]; rebuild?: string[]; quiet?: boolean }>();
  const book = readRecipes(opts.recipes);
  if (opts.list) {
    list(book, root, resolve(opts.out));
    return 0;
  }
  const results = await buildStarterLibrary({ book, root, starterDir: opts.out, only: opts.only, rebuild: opts.rebuild, quiet: opts.quiet });
  return results.every((r) => r.outcome === 'published' || r.outcome === 'up-to-date') ? 0 : 1;
}

// Exits explicitly: ONNX Runtime sessions and tfjs may keep the event loop alive after the work is done.
main().then((code) => process.exit(code), (e: unknown) => {
  if (e instanceof ArborError) {
    process.stderr.write(`build-library: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  throw e;
});
