/**
 * Public face of the arena: round robins and matches between agent specs, ratings, SPRT, and the
 * game records they keep. Scheduling, the worker protocol and the agent cache are internal: their
 * users import them from their own files.
 */
export { runArena, type ArenaConfig, type ArenaReport, type AgentReport, type PairReport } from './arena.js';
export { loadArenaFile, parseArenaFile, type ArenaFile } from './config.js';
export { playAgents, randomOpenings, type GameOutcome } from './game.js';
export { playMatch, type AgentInput, type ArenaAgent, type MatchOptions, type MatchResult } from './match.js';
export { fitRatings, tallyPairs, eloFromScore, scoreFromElo, type FitOptions, type PairResult, type Rating, type RatingFit } from './ratings.js';
export { ArenaRecords, RECORDS_FILE, type GameRecord, type GameRecordInput, type RunInfo } from './records.js';
export { replaySteps, reproduceGame, type ReplayStep } from './replay.js';
export { sprt, SprtTest, type SprtDecision, type SprtParams, type SprtStatus, type Trinomial } from './sprt.js';
export { createGameRunner, type GameRunner } from './workers.js';
export { createLadder, type LadderOptions } from './ladder.js';
export { formatGameList, formatReplay, formatReport, reportJson } from './report.js';
// What a user of this layer expects to find registered: the built-in agent kinds (agents, and
// solver from the solvers layer) and the loader behind model=PATH (networks; it loads tfjs and
// ONNX Runtime only when a model is asked for), `lib:NAME` references to the module library included.
import '../agents/index.js';
import '../solvers/index.js';
import '../networks/register.js';
import '../transfer/register.js';
import '../programs/register.js';
