/**
 * Public face of self-play training: play -> trajectory -> targets -> learner.
 * - the learner and its steps (restore, play, train, commit, gate, evaluate) and `train`, which runs them;
 * - the training config and presets, run folders, metrics rows, reports and the progress line;
 * - self-play games as trajectories, and the training targets computed from them.
 */
export { train, Learner, type TrainOptions, type TrainSummary, type PlayedIteration, type TrainedIteration, type IterationLosses } from './learner.js';
export { resolveConfig, validateConfig, isPresetName, trainConfigSchema, type TrainConfig, type TrainConfigInput } from './config.js';
export { basePreset, gamePresets, presetFor, PRESET_NAMES, type PresetName } from './presets.js';
export { RunFolder, type RunManifest, type RunState } from './run-folder.js';
export {
  readMetrics,
  type MetricsRow,
  type IterationMetrics,
  type ActorMetrics,
  type DistributedMetrics,
  type EvaluationMetrics,
  type GameEvaluation,
  type SizeMetrics,
  type FinalMetrics,
  type EvaluationRecord,
  type OpponentResult,
  type OracleMetrics,
  type PerfectPlayResult,
} from './metrics.js';
export { describePerfectPlay, type GateResult } from './evaluation.js';
export { writeReport } from './report.js';
export { sizeSpecs, familyGames, drawSizeCounts, interleaveSteps } from './board-sizes.js';
export { runGames, checkSharedPlanes, type RunGames } from './run-games.js';
export { checkPublishName, publishRun, type PublishOptions, type Published } from './publish.js';
export { terminalReporter, silentReporter, type TrainReporter, type ProgressFigures } from './progress.js';
export { ReplayBuffer, windowSize, type SampleChunk } from './replay-buffer.js';
export { Actors } from './actors.js';
export type { SelfPlaySource, SelfPlayRequest, SelfPlaySourceFactory } from './selfplay-source.js';
export { concatChunks, emptyChunk, readChunkArrays } from './replay-buffer.js';
export { addStats, emptyStats } from './selfplay-stats.js';
export type { Trajectory, Resignation, FinalPosition } from './trajectory.js';
export type { SelfPlaySettings } from './selfplay-game.js';
export { playSelfPlayGames, targetSettingsFor, type SelfPlayBatch, type SelfPlayBatchOptions } from './selfplay-batch.js';
export type { SelfPlayStats } from './selfplay-stats.js';
export { moveTemperature, type TemperatureSchedule } from './temperature.js';
export {
  gameSamples,
  sampledPlies,
  lambdaReturns,
  mixValueTargets,
  ownershipPlanes,
  ownershipTargets,
  policySurprise,
  policySurprises,
  valueSurprises,
  surpriseCopies,
  type GameSamples,
  type TargetSettings,
} from './targets/index.js';
// What a user of this layer expects to find registered: the built-in agent kinds (agents, and
// solver from the solvers layer) and the loader behind model=PATH (networks; it loads tfjs and
// ONNX Runtime only when a model is asked for), `lib:NAME` references to the module library included.
import '../agents/index.js';
import '../solvers/index.js';
import '../networks/register.js';
import '../transfer/register.js';
import '../programs/register.js';
