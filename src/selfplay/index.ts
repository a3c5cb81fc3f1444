/** Public face of self-play training: the learner loop, its config and presets, run folders and reports. */
export { train, type TrainOptions, type TrainSummary } from './learner.js';
export { resolveConfig, validateConfig, isPresetName, trainConfigSchema, type TrainConfig, type TrainConfigInput } from './config.js';
export { basePreset, gamePresets, presetFor, PRESET_NAMES, type PresetName } from './presets.js';
export { RunFolder, readMetrics, type RunManifest, type RunState } from './run-folder.js';
export { ReplayBuffer, windowSize, type SampleChunk } from './replay-buffer.js';
export { writeReport } from './report.js';
export { terminalReporter, silentReporter, type TrainReporter } from './progress.js';
export { playSelfPlayGames } from './selfplay-batch.js';
export type { SelfPlayStats } from './selfplay-stats.js';
export { moveTemperature, type TemperatureSchedule } from './temperature.js';
export { Actors } from './actors.js';
