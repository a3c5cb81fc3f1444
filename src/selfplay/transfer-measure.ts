import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ArborError, createAgent, deriveSeed, freshSeed, writeFileAtomic, type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { architectureFor, defaultModelConfig, describeNetwork } from '../networks/index.js';
import { resolveModuleNames } from '../transfer/assemble.js';
import { canonicalNetworkRef, readNetwork } from '../transfer/network-source.js';
import { createGameRunner, playMatch } from '../arena/index.js';
import { evaluateAgentOnPositions, gradeMove, loadPositions, type LabelledPosition } from '../solvers/index.js';
import { firstCrossing, gamesRatio, isPowerOfTwo, logArea, measureIterations } from '../transfer/measure-curve.js';
import { resolveConfig, type TrainConfig } from './config.js';
import { hasOracle, modelAgentSpec } from './evaluation.js';
import { Learner } from './learner.js';
import type { PresetName } from './presets.js';
import type { TrainReporter } from './progress.js';
import { TRANSFER_FORMAT, type ArmResult, type TransferResult } from './transfer-result.js';
import { writeTransferReport } from './transfer-report.js';

/**
 * `arbor transfer`: what a warm start saves. The target game is trained twice with the same
 * configuration and seed, once from scratch and once from a reference network (`--init-from`),
 * and both networks are measured at the same self-play game counts (0, then 1, 2, 4, 8...
 * iterations, and the last): the jumpstart, the games each arm needs to reach a threshold, their
 * ratio, and the area under both strength-vs-log-games curves (see transfer/measure-curve.ts).
 */

export type StrengthKind = 'oracle' | 'games';

export interface TransferOptions {
  target: string;
  init: NonNullable<TrainConfig['init']>;
  outDir: string;
  /** Budget: self-play games of the target game, or minutes of the scratch arm (exactly one). */
  games?: number;
  minutes?: number;
  seed?: string;
  configFile?: string;
  /** The preset both arms train with, as `arbor train --preset` (default quick). */
  preset?: PresetName;
  /** 'auto': the oracle where the game has one, else games against `reference`. */
  strength?: StrengthKind | 'auto';
  /** Search visits of the measured agent; default 1 (the raw network) for the oracle, 50 for games. */
  simulations?: number;
  /** Oracle: how many decisive labelled positions (evenly spaced through the shipped file). */
  positions?: number;
  /** Games: the fixed opponent and the number of paired games per measurement. */
  reference?: string;
  evalGames?: number;
  /** A fixed threshold in [0, 1]; default 90% of the way from the scratch arm's strength at 0 games to its best. */
  threshold?: number;
  /**
   * Oracle with search (simulations > 1): the raw network is measured at every point too, and
   * its games to this threshold reported (default: the same 90%-of-gain rule on the raw curve).
   */
  rawThreshold?: number;
  workers?: number;
  overwrite?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** Measures one network file: a strength in [0, 1], and for the oracle with search also the raw network's. */
type Measure = (onnxPath: string, games: number) => Promise<{ strength: number; raw?: number }>;

export async function measureTransfer(o: TransferOptions): Promise<TransferResult> {
  const log = o.log ?? (() => undefined);
  if ((o.games === undefined) === (o.minutes === undefined)) throw new ArborError('give exactly one budget: --games N (self-play games of the target game) or --minutes M (of the scratch arm)');
  if (o.threshold !== undefined && !(o.threshold >= 0 && o.threshold <= 1)) throw new ArborError(`--threshold ${o.threshold} must be a strength between 0 and 1 (e.g. 0.8)`);
  if (o.rawThreshold !== undefined && !(o.rawThreshold >= 0 && o.rawThreshold <= 1)) throw new ArborError(`--raw-threshold ${o.rawThreshold} must be a strength between 0 and 1 (e.g. 0.85)`);
  const game = createGame(o.target);
  const kind = strengthKind(game, o.strength ?? 'auto');
  const simulations = o.simulations ?? (kind === 'oracle' ? 1 : 50);
  const withRaw = kind === 'oracle' && simulations > 1;
  if (o.rawThreshold !== undefined && !withRaw) throw new ArborError('--raw-threshold needs the oracle strength with search (--simulations above 1): the raw network is then measured beside it');
  const preset = o.preset ?? 'quick';
  const seed = o.seed ?? freshSeed();
  const outDir = resolve(o.outDir);
  const arms = { scratch: join(outDir, 'scratch'), transfer: join(outDir, 'transfer') };
  for (const dir of Object.values(arms)) {
    if (existsSync(join(dir, 'config.json')) && !o.overwrite) throw new ArborError(`${dir} already holds a run; pass --overwrite to measure afresh or choose another --out (arbor transfer does not resume)`);
  }
  await mkdir(outDir, { recursive: true });
  const configFile = await measurementConfig(outDir, o.configFile);

  const resolved = resolveConfig({ game: game.spec, gameId: game.id, preset, seed, configFile, overrides: o.workers !== undefined ? { selfplay: { workers: o.workers } } : undefined });
  const { gamesPerIteration, workers: evalWorkers } = resolved.selfplay;
  // Everything a user can get wrong is checked before the scratch arm spends its budget.
  const { measure, strength } = kind === 'oracle'
    ? oracleMeasure(game, simulations, withRaw, o.positions ?? 200, seed)
    : gamesMeasure(game, simulations, o.reference ?? 'uct:simulations=200', o.evalGames ?? 40, seed, evalWorkers);
  await checkWarmStart(game, o.init, resolved.training.ownershipWeight > 0);
  // A games budget is whole iterations; a time budget is the scratch arm's, and the transfer arm
  // then plays as many iterations as the scratch arm reached, so both curves share their points.
  const plannedIterations = o.games !== undefined ? Math.max(1, Math.ceil(o.games / gamesPerIteration)) : 0;
  const scratchLearner = await Learner.restore({ runDir: arms.scratch, game: game.spec, preset, seed, configFile, overwrite: o.overwrite, workers: o.workers, skipFinal: true, reporter: armReporter('scratch', log), ...(o.games !== undefined ? { iterations: plannedIterations } : { minutes: o.minutes }) });
  log(`strength: ${strength.measure}`);

  const scratch = await runArm('scratch', scratchLearner, plannedIterations, measure, log);
  const transferLearner = await Learner.restore({ runDir: arms.transfer, game: game.spec, preset, seed, configFile, overwrite: o.overwrite, workers: o.workers, skipFinal: true, reporter: armReporter('transfer', log), init: o.init, iterations: scratch.iterations });
  const transfer = await runArm('transfer', transferLearner, scratch.iterations, measure, log);

  const threshold = thresholdFor(scratch.curve.map((p) => p.strength), o.threshold, '--threshold');
  const finish = (a: Omit<ArmResult, 'reachedAt' | 'area'>): ArmResult => ({ ...a, reachedAt: firstCrossing(a.curve, threshold.value), area: logArea(a.curve, gamesPerIteration) });
  const s = finish(scratch);
  const t = finish(transfer);
  let raw: TransferResult['raw'] = null;
  if (withRaw) {
    const rawCurve = (a: typeof scratch) => a.curve.map((p) => ({ games: p.games, strength: p.raw ?? NaN }));
    const rawThreshold = thresholdFor(rawCurve(scratch).map((p) => p.strength), o.rawThreshold, '--raw-threshold');
    const reached = { scratch: firstCrossing(rawCurve(scratch), rawThreshold.value), transfer: firstCrossing(rawCurve(transfer), rawThreshold.value) };
    raw = {
      threshold: rawThreshold,
      jumpstart: { scratch: rawCurve(scratch)[0].strength, transfer: rawCurve(transfer)[0].strength },
      reachedAt: reached,
      ratio: gamesRatio(reached.scratch, reached.transfer),
      area: { scratch: logArea(rawCurve(scratch), gamesPerIteration), transfer: logArea(rawCurve(transfer), gamesPerIteration) },
    };
  }
  const result: TransferResult = {
    format: TRANSFER_FORMAT,
    target: game.spec,
    init: { ...o.init, from: canonicalNetworkRef(o.init.from) },
    seed,
    configFile: o.configFile ? resolve(o.configFile) : null,
    budget: { games: o.games ?? null, minutes: o.minutes ?? null, iterations: scratch.iterations },
    gamesPerIteration,
    strength,
    threshold,
    jumpstart: { scratch: s.curve[0].strength, transfer: t.curve[0].strength, gain: t.curve[0].strength - s.curve[0].strength },
    arms: { scratch: s, transfer: t },
    ratio: gamesRatio(s.reachedAt, t.reachedAt),
    areaGain: t.area - s.area,
    raw,
    reportPath: join(outDir, 'report.html'),
  };
  await writeFileAtomic(join(outDir, 'transfer.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeTransferReport(result);
  return result;
}

/**
 * A fixed threshold, or 90% of the way from the scratch arm's strength at 0 games to its best:
 * a share of the final strength alone would often be met by an untrained network (a random
 * policy already keeps the result in most of tic-tac-toe's decisive positions), and the best
 * point, not the last, keeps a noisy last measurement from pulling it below the start.
 */
function thresholdFor(scratch: readonly number[], fixed: number | undefined, option: string): { value: number; rule: string } {
  if (fixed !== undefined) return { value: fixed, rule: `fixed (${option})` };
  const first = scratch[0];
  const best = Math.max(...scratch);
  return { value: first + 0.9 * (best - first), rule: `90% of the scratch arm's gain, from ${first.toFixed(4)} at 0 games to its best ${best.toFixed(4)}` };
}

/** The transfer arm's warm start reads and names modules its network has (as arbor train checks it, but before the scratch arm). */
async function checkWarmStart(game: Game, init: NonNullable<TrainConfig['init']>, ownership: boolean): Promise<void> {
  await readNetwork(init.from);
  const description = describeNetwork(architectureFor(game, { ...defaultModelConfig(game), ownership }));
  resolveModuleNames(description, init.freeze, '--freeze');
  resolveModuleNames(description, init.reinit, '--reinit');
}

function strengthKind(game: Game, asked: StrengthKind | 'auto'): StrengthKind {
  if (asked === 'oracle' && !hasOracle(game)) throw new ArborError(`--strength oracle needs a solver and shipped labelled positions, which ${game.spec} lacks; use --strength games (paired games against --reference)`);
  if (asked === 'auto') return hasOracle(game) ? 'oracle' : 'games';
  return asked;
}

/**
 * The training config of both arms: the user's --config (if any) with the in-run evaluation off
 * (the measurement replaces it), written to DIR/train-config.json so both arms read one file.
 */
async function measurementConfig(outDir: string, userFile: string | undefined): Promise<string> {
  let user: Record<string, unknown> = {};
  if (userFile) {
    let text: string;
    try {
      text = await readFile(userFile, 'utf8');
    } catch {
      throw new ArborError(`cannot read --config ${userFile}; give a JSON file of training settings`);
    }
    try {
      user = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new ArborError(`--config ${userFile} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof user !== 'object' || user === null || Array.isArray(user)) throw new ArborError(`--config ${userFile} must hold a JSON object of training settings`);
  }
  const evaluation = typeof user.evaluation === 'object' && user.evaluation !== null ? user.evaluation : {};
  const path = join(outDir, 'train-config.json');
  await writeFileAtomic(path, `${JSON.stringify({ ...user, evaluation: { ...evaluation, every: 0 } }, null, 2)}\n`);
  return path;
}

function armReporter(arm: string, log: (line: string) => void): TrainReporter {
  return {
    info: (line) => log(`[${arm}] ${line}`),
    progress: (p) => log(`[${arm}] iteration ${p.iteration}: ${p.games} games, policy loss ${p.policyLoss?.toFixed(3) ?? '-'}, value loss ${p.valueLoss?.toFixed(3) ?? '-'}`),
    stop: () => undefined,
  };
}

/**
 * Trains one arm for `iterations` (0: until its time budget ends), measuring the network the
 * actors use (actor-model.onnx, a copy kept in RUN/measured/) at 0 games and after the
 * iterations `measureIterations` names.
 */
async function runArm(arm: string, learner: Learner, iterations: number, measure: Measure, log: (line: string) => void): Promise<Omit<ArmResult, 'reachedAt' | 'area'>> {
  const curve: ArmResult['curve'] = [];
  const wanted = iterations > 0 ? new Set(measureIterations(iterations)) : null;
  const measuredDir = join(learner.folder.dir, 'measured');
  await mkdir(measuredDir, { recursive: true });
  const point = async () => {
    const { iteration, games } = learner.state;
    const copy = join(measuredDir, `games-${games}.onnx`);
    await copyFile(join(learner.folder.dir, 'actor-model.onnx'), copy);
    const { strength, raw } = await measure(copy, games);
    curve.push(raw === undefined ? { iteration, games, strength } : { iteration, games, strength, raw });
    log(`[${arm}] strength after ${games} games (iteration ${iteration}): ${strength.toFixed(4)}${raw === undefined ? '' : `, raw network ${raw.toFixed(4)}`}`);
  };
  try {
    await point();
    while (!learner.done()) {
      await learner.iterate();
      const i = learner.state.iteration;
      if (learner.done() || (wanted ? wanted.has(i) : isPowerOfTwo(i))) await point();
    }
  } finally {
    await learner.close();
  }
  return { runDir: learner.folder.dir, iterations: learner.state.iteration, elapsedS: learner.state.elapsedMs / 1000, curve };
}

/** Decisive labelled positions (a wrong move changes the result), evenly spaced through the file. */
export function decisivePositions(game: Game, count: number): LabelledPosition[] {
  const decisive = loadPositions(game).filter((p) => {
    const scored = p.scores.findIndex((v) => v !== null);
    return scored >= 0 && gradeMove(p.scores, scored).decisive;
  });
  const n = Math.min(count, decisive.length);
  return Array.from({ length: n }, (_, i) => decisive[Math.floor((i * decisive.length) / n)]);
}

function oracleMeasure(game: Game, simulations: number, withRaw: boolean, count: number, seed: string): { measure: Measure; strength: TransferResult['strength'] } {
  if (!(Number.isInteger(count) && count >= 1)) throw new ArborError(`--positions ${count} must be a whole number >= 1`);
  const positions = decisivePositions(game, count);
  if (positions.length === 0) throw new ArborError(`${game.spec} ships no decisive labelled positions; use --strength games`);
  const who = simulations === 1 ? 'the raw network (1 simulation)' : `search with ${simulations} simulations`;
  return {
    strength: { kind: 'oracle', simulations, positions: positions.length, measure: `share of ${positions.length} decisive labelled positions where ${who} keeps the game-theoretic result${withRaw ? ' (and the raw network, 1 simulation)' : ''}` },
    measure: async (onnx, games) => {
      const grade = async (sims: number) => {
        const agent = await createAgent(modelAgentSpec(onnx, sims), { game, seed: deriveSeed(seed, 'transfer-oracle', games) });
        try {
          return (await evaluateAgentOnPositions(agent, game, positions)).decisiveClassOptimalRate;
        } finally {
          await agent.close?.();
        }
      };
      const strength = await grade(simulations);
      return withRaw ? { strength, raw: await grade(1) } : { strength };
    },
  };
}

function gamesMeasure(game: Game, simulations: number, reference: string, games: number, seed: string, workers: number): { measure: Measure; strength: TransferResult['strength'] } {
  if (!(Number.isInteger(games) && games >= 2 && games % 2 === 0)) throw new ArborError(`--eval-games ${games} must be an even whole number >= 2 (paired games, both colours)`);
  return {
    strength: { kind: 'games', simulations, reference, games, measure: `score (wins + draws/2) in ${games} paired games against ${reference}, the network searching with ${simulations} simulations` },
    measure: async (onnx, at) => {
      const runner = createGameRunner(workers);
      try {
        // The same openings and seeds at the same game count for both arms: a paired comparison.
        const m = await playMatch({ game: game.spec, a: modelAgentSpec(onnx, simulations), b: reference, games, openingPlies: 1, seed: deriveSeed(seed, 'transfer-games', at), workers: runner });
        const played = m.aWins + m.draws + m.bWins;
        return { strength: played ? (m.aWins + m.draws / 2) / played : 0 };
      } finally {
        await runner.close();
      }
    },
  };
}
