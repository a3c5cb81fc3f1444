import type { Command } from 'commander';
import { ArborError, unknownNameMessage } from '../core/index.js';
import { isPresetName, type PresetName } from '../selfplay/index.js';
import { measureTransfer } from '../selfplay/transfer-measure.js';
import type { TransferResult } from '../selfplay/transfer-result.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';
import { initOptions } from './train.js';

function fraction(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (min > 0 && n === 0)) throw new ArborError(`${name} ${value} is not a number in ${min}..${max}`);
    return n;
  };
}

function failPreset(name: string): PresetName {
  throw new ArborError(unknownNameMessage('preset', name, ['quick', 'standard']));
}

export function register(program: Command): void {
  const command = program
    .command('transfer')
    .summary('measure what a warm start saves: train a game from scratch and from a network, compare')
    .description('trains the target game twice with the same config and seed, from scratch (DIR/scratch) and from REF (DIR/transfer, as arbor train --init-from REF), measures both at the same self-play game counts (0, then 1, 2, 4... iterations) and reports the jumpstart, the games each needs to reach a threshold, their ratio and the area under both curves; writes DIR/transfer.json and DIR/report.html (not resumable: a new measurement needs --overwrite or another --out)')
    .requiredOption('--target <spec>', 'the game to train, e.g. connect4 or tictactoe')
    .requiredOption('--from <ref>', 'the warm start: a run folder, a checkpoint folder or lib:NAME')
    .option('--freeze <modules>', 'as arbor train --freeze: modules of the transfer arm not trained, e.g. stem,trunk')
    .option('--reinit <modules>', 'as arbor train --reinit: modules of the transfer arm given fresh weights')
    .option('--grow <spec>', 'as arbor train --grow: the transfer arm\'s network widened/deepened (Net2Net), e.g. filters=64,blocks=6')
    .option('--games <N>', 'budget: self-play games of the target game per arm (rounded up to whole iterations)', intOption('--games', 1))
    .option('--minutes <M>', 'budget: minutes of the scratch arm; the transfer arm plays as many iterations', fraction('--minutes', 0, Number.MAX_VALUE))
    .addOption(optionWithRuntimeDefault('--threshold <X>', 'strength (0..1) whose first crossing is compared', '90% of the way from the scratch arm\'s strength at 0 games to its best', fraction('--threshold', 0, 1)))
    .addOption(optionWithRuntimeDefault('--strength <kind>', 'oracle (decisive labelled positions, where the solver ships them) or games (paired games against --reference)', 'oracle where it exists'))
    .addOption(optionWithRuntimeDefault('--simulations <N>', 'search visits of the measured network', '1 (the raw network) for oracle, 50 for games', intOption('--simulations', 1)))
    .option('--positions <N>', 'oracle: decisive labelled positions per measurement', intOption('--positions', 1), 200)
    .option('--reference <agent>', 'games: the fixed opponent', 'uct:simulations=200')
    .option('--eval-games <N>', 'games: paired games per measurement (even)', intOption('--eval-games', 2), 40)
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed of both arms (and of the measurements)', 'fresh'))
    .option('--preset <name>', 'the preset both arms train with, as arbor train --preset', 'quick')
    .option('--raw-threshold <X>', 'oracle with --simulations above 1: the raw network\'s threshold (it is measured beside search)', fraction('--raw-threshold', 0, 1))
    .option('--config <file>', 'JSON file overriding the preset for both arms, as arbor train --config')
    .addOption(optionWithRuntimeDefault('--workers <N>', 'self-play worker threads', 'as arbor train', intOption('--workers', 1, 256)))
    .addOption(optionWithRuntimeDefault('--out <dir>', 'output folder', 'runs/transfer-GAME'))
    .option('--overwrite', 'replace an earlier measurement in --out (only arbor run folders are deleted)')
    .option('--json', 'print transfer.json\'s content as one JSON object')
    .action(action(async (opts: { target: string; from: string; freeze?: string; reinit?: string; grow?: string; games?: number; minutes?: number; threshold?: number; strength?: string; simulations?: number; positions: number; preset: string; rawThreshold?: number; reference: string; evalGames: number; seed?: string; config?: string; workers?: number; out?: string; overwrite?: boolean; json?: boolean }) => {
      if (opts.strength !== undefined && opts.strength !== 'oracle' && opts.strength !== 'games') throw new ArborError(`--strength ${opts.strength} is unknown; use oracle or games`);
      const init = initOptions({ initFrom: opts.from, freeze: opts.freeze, reinit: opts.reinit, grow: opts.grow })!;
      const result = await measureTransfer({
        target: opts.target,
        init,
        outDir: opts.out ?? `runs/transfer-${opts.target.replace(/[^a-z0-9]+/gi, '-')}`,
        games: opts.games,
        minutes: opts.minutes,
        seed: opts.seed,
        configFile: opts.config,
        preset: isPresetName(opts.preset) ? opts.preset : failPreset(opts.preset),
        rawThreshold: opts.rawThreshold,
        strength: opts.strength as 'oracle' | 'games' | undefined,
        simulations: opts.simulations,
        positions: opts.positions,
        reference: opts.reference,
        evalGames: opts.evalGames,
        threshold: opts.threshold,
        workers: opts.workers,
        overwrite: opts.overwrite,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (opts.json) printJson(result);
      else process.stdout.write(formatTransfer(result));
    }));
  withExamples(command, [
    { command: 'arbor transfer --target connect4 --from runs/connect4-rows-5-cols-6-quick --minutes 20', note: 'Connect Four 6x7 from scratch and from a 5x6 run, 20 minutes each' },
    { command: 'arbor transfer --target tictactoe --from lib:ttt-trunk --freeze stem,trunk --games 2000 --threshold 0.8', note: 'a frozen library trunk, 2000 games per arm, compared at 80% of decisive positions' },
  ]);
}

export function formatTransfer(r: TransferResult): string {
  const f = (v: number) => v.toFixed(3);
  const s = r.arms.scratch;
  const t = r.arms.transfer;
  const reach = (games: number | null) => (games === null ? 'never reaches it' : `reaches it at ${games} games`);
  return `${[
    `transfer to ${r.target} from ${r.init.from}: ${r.budget.iterations} iterations of ${r.gamesPerIteration} games per arm`,
    `strength: ${r.strength.measure}`,
    `jumpstart (0 games): scratch ${f(r.jumpstart.scratch)}, transfer ${f(r.jumpstart.transfer)} (${r.jumpstart.gain >= 0 ? '+' : ''}${f(r.jumpstart.gain)})`,
    `threshold ${f(r.threshold.value)} (${r.threshold.rule}): scratch ${reach(s.reachedAt)}, transfer ${reach(t.reachedAt)}; ratio ${r.ratio !== null ? r.ratio.toFixed(2) : 'undefined (an arm never reached it, or transfer did at 0 games)'}`,
    `area under the log-games curve: scratch ${f(s.area)}, transfer ${f(t.area)} (${r.areaGain >= 0 ? '+' : ''}${f(r.areaGain)})`,
    `curves (games: scratch / transfer): ${s.curve.map((p, i) => `${p.games}: ${f(p.strength)} / ${f(t.curve[i]?.strength ?? NaN)}`).join(', ')}`,
    ...(r.raw === null ? [] : [
      `raw network: jumpstart scratch ${f(r.raw.jumpstart.scratch)}, transfer ${f(r.raw.jumpstart.transfer)}; threshold ${f(r.raw.threshold.value)} (${r.raw.threshold.rule}): scratch ${reach(r.raw.reachedAt.scratch)}, transfer ${reach(r.raw.reachedAt.transfer)}; ratio ${r.raw.ratio !== null ? r.raw.ratio.toFixed(2) : 'undefined'}`,
      `raw curves (games: scratch / transfer): ${s.curve.map((p, i) => `${p.games}: ${f(p.raw ?? NaN)} / ${f(t.curve[i]?.raw ?? NaN)}`).join(', ')}`,
    ]),
    `report: ${r.reportPath}`,
  ].join('\n')}\n`;
}
