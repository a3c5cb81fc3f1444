import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { createGameRunner, createLadder } from '../arena/index.js';
import { ArborError, defaultWorkers, freshSeed } from '../core/index.js';
import { createGame } from '../envs/index.js';
import {
  formatSynthResult, loadLibraryFunctions, publishProgram, synthesize, synthResultJson, writeSynthResult, type SynthProgress, type SynthReporter,
} from '../programs/synth/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

interface SynthCliOptions {
  game?: string;
  minutes?: number;
  evaluations?: number;
  library: string;
  seed?: string;
  out?: string;
  json?: boolean;
  workers?: number;
  publish?: string;
  ladder: string;
  gamesPerRung: number;
  finalGames: number;
  openings: number;
}

/** The SPRT of every rung: H0 "no stronger" (0 Elo) against H1 "150 Elo stronger" (a 70% score), 10% errors each way. */
const RUNG_SPRT = { elo0: 0, elo1: 150, alpha: 0.1, beta: 0.1 };

function minutesOption(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new ArborError(`--minutes ${value} is not a positive number of minutes, e.g. 5 or 0.5`);
  return n;
}

function progressReporter(): SynthReporter & { stop(): void } {
  if (!process.stderr.isTTY) {
    let last = '';
    return {
      progress: (p) => {
        if (p.phase !== last) process.stderr.write(`synth: ${p.phase} (${p.enumerated} enumerated, ${p.evaluated} evaluated, ${p.games} games)\n`);
        last = p.phase;
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: 'synth |{bar}| {percentage}% | {phase} | {enumerated} enumerated | {evaluated} evaluated | {games} games | best {best}',
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const fields = (p: SynthProgress) => ({ phase: p.phase, enumerated: p.enumerated, evaluated: p.evaluated, games: p.games, best: p.bestFitness.toFixed(2) });
  return {
    progress: (p) => {
      if (!started) bar.start(1000, 0, fields(p));
      started = true;
      bar.update(Math.round(1000 * p.fraction), fields(p));
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

export function register(program: Command): void {
  const command = program
    .command('synth')
    .summary('synthesize a value program for a game: enumeration, then evolution, scored by games')
    .description('find a value program (docs/synthesis.md): bottom-up enumeration with observational equivalence, then typed evolution; each candidate climbs a ladder of opponents with SPRT early stopping. Prints the best programs, their measured strength and the search statistics.')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4')
    .option('--minutes <m>', 'wall-clock budget for the whole run', minutesOption)
    .option('--evaluations <n>', 'budget in programs evaluated with games (same seed, same run)', intOption('--evaluations', 1))
    .option('--library <on|off>', 'use the library\'s functions (program entries of function type) as primitives', 'on')
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed of every random choice, printed and recorded', 'fresh'))
    .addOption(optionWithRuntimeDefault('--out <file>', 'write the result as JSON (atomically)', 'not written'))
    .option('--json', 'print the result as one JSON object')
    .addOption(optionWithRuntimeDefault('--workers <n>', 'worker threads for games, 0 = the main thread', 'one per core, one fewer above two cores', intOption('--workers', 0, 256)))
    .option('--publish <name>', 'add the best program to your library as a program entry NAME')
    .option('--ladder <list>', 'opponents, lowest rung first, separated by ";"', 'random;greedy;uct:simulations=200')
    .option('--games-per-rung <n>', 'most games against one rung while searching (SPRT usually stops sooner)', intOption('--games-per-rung', 2, 10_000), 40)
    .option('--final-games <n>', 'games against every rung in the final measurement of the best programs', intOption('--final-games', 2, 100_000), 40)
    .option('--openings <plies>', 'random plies at the start of every opening', intOption('--openings', 0, 1000), 2)
    .action(action(async (o: SynthCliOptions) => {
      if (o.minutes === undefined && o.evaluations === undefined) throw new ArborError('give a budget: --minutes M (e.g. 5) or --evaluations N (e.g. 200)');
      if (o.minutes !== undefined && o.evaluations !== undefined) throw new ArborError('give one budget: --minutes or --evaluations, not both');
      if (o.library !== 'on' && o.library !== 'off') throw new ArborError(`--library ${o.library}: expected on or off`);
      const game = createGame(o.game as string);
      const rungs = o.ladder.split(';').map((s) => s.trim()).filter((s) => s !== '');
      const seed = o.seed ?? freshSeed();
      const workers = o.workers ?? defaultWorkers();
      const library = o.library === 'on' ? loadLibraryFunctions() : { functions: [], skipped: [] };
      for (const s of library.skipped) process.stderr.write(`arbor: library function ${s.name} not used: ${s.reason}\n`);
      const workDir = mkdtempSync(join(tmpdir(), 'arbor-synth-'));
      const runner = createGameRunner(workers);
      const reporter = progressReporter();
      try {
        if (!o.json) process.stderr.write(`synth ${game.spec}: seed ${seed}, ${workers} worker(s), ladder ${rungs.join(' < ')}, ${library.functions.length} library function(s)\n`);
        const ladder = createLadder({ game, rungs, runner, sprt: RUNG_SPRT, maxGames: o.gamesPerRung, openingPlies: o.openings });
        const result = await synthesize({
          game, seed, budget: { minutes: o.minutes, evaluations: o.evaluations }, ladder, workDir, library: library.functions, reporter, finalGames: o.finalGames,
        });
        reporter.stop();
        if (o.out) await writeSynthResult(o.out, result);
        if (o.json) printJson(synthResultJson(result));
        else process.stdout.write(`${formatSynthResult(result)}\n`);
        if (o.publish) {
          if (result.best.length === 0) throw new ArborError('no program was evaluated, so there is nothing to publish; give a larger budget');
          const entry = await publishProgram(o.publish, result.best[0], result);
          process.stderr.write(`published the best program as lib:${entry.name}\n`);
        }
      } finally {
        reporter.stop();
        await runner.close();
        rmSync(workDir, { recursive: true, force: true });
      }
    }));
  withExamples(command, [
    { command: 'arbor synth --game tictactoe --evaluations 30 --seed 1', note: 'a quick search: 30 programs evaluated' },
    { command: 'arbor synth --game connect4 --minutes 5 --out c4-synth.json', note: 'five minutes on Connect Four, the result kept as JSON' },
    { command: 'arbor synth --game connect4 --minutes 15 --publish c4-value', note: 'then play it: arbor play --game connect4 --agent program:lib:c4-value' },
  ]);
}
