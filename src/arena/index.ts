/** Public face of the arena: matches, round robins, ratings, SPRT and game records. */
export { runArena, resolveAnchor, type ArenaConfig, type ArenaReport, type AgentReport, type PairReport } from './arena.js';
export { loadArenaFile, parseArenaFile, type ArenaFile } from './config.js';
export { playAgents, playTask, randomOpenings, type GameOutcome, type GameTask, type PlayerTask } from './game.js';
export {
  playMatch,
  checkAgents,
  scheduleGames,
  matchOpenings,
  runScheduled,
  gamesPerTask,
  PairTimes,
  MAX_GAMES_PER_TASK,
  TASK_TARGET_MS,
  displayName,
  type AgentInput,
  type ArenaAgent,
  type FinishedGame,
  type MatchOptions,
  type MatchResult,
  type RunScheduledOptions,
  type ScheduledGame,
} from './match.js';
export { fitRatings, tallyPairs, eloFromScore, scoreFromElo, Z95, type FitOptions, type PairResult, type Rating, type RatingFit } from './ratings.js';
export { ArenaRecords, RECORDS_FILE, type GameRecord, type GameRecordInput, type RunInfo } from './records.js';
export { replaySteps, reproduceGame, type ReplayStep } from './replay.js';
export { sprt, sprtBounds, sprtLlr, SprtTest, validateSprtParams, type SprtDecision, type SprtParams, type SprtStatus, type Trinomial } from './sprt.js';
export { createGameRunner, defaultWorkers, type GameRunner } from './workers.js';
export { AgentCache } from './agent-cache.js';
export { formatGameList, formatReplay, formatReport, reportJson } from './report.js';
