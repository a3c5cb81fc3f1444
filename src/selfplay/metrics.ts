import { existsSync, readFileSync } from 'node:fs';
import type { SelfPlayStats } from './selfplay-stats.js';

/**
 * The rows of a run folder's metrics.jsonl, one JSON object per line: the learner writes them, the
 * progress line shows the latest iteration's, the report charts them. Files written by older
 * versions may lack fields added since (readers treat a missing number as absent).
 */
export type MetricsRow = IterationMetrics | EvaluationMetrics | FinalMetrics;

/**
 * Written after every iteration (self-play, training, checkpoint). firstWins, secondWins, draws,
 * resigned, playthroughGames and falseResignations count this iteration's games (their SelfPlayStats).
 */
export interface IterationMetrics extends Pick<SelfPlayStats, 'firstWins' | 'secondWins' | 'draws' | 'resigned' | 'playthroughGames' | 'falseResignations'> {
  type: 'iteration';
  iteration: number;
  /** Training time of the run so far, over all its sessions, in seconds. */
  elapsedS: number;
  /** Self-play games so far. */
  games: number;
  /** Moves played so far, full and cheap searches alike. */
  positions: number;
  /** Samples written to the replay buffer so far (full searches; surprise weighting counts copies). */
  samples: number;
  /** Samples the learner draws its batches from now (KataGo's growing window). */
  window: number;
  /** Gradient steps so far. */
  trainSteps: number;
  /** Mean losses of this iteration's gradient steps; null when it took none. */
  policyLoss: number | null;
  valueLoss: number | null;
  /** Present when the run trains an ownership head. */
  ownershipLoss?: number | null;
  /** Moves per second of this iteration's self-play. */
  positionsPerSecond: number;
  /** Wall-clock seconds of this iteration's self-play and training. */
  selfplayS: number;
  trainS: number;
  /** The learning rate of this iteration's steps (after annealing). */
  learningRate: number;
  /** Present when gating put this iteration's checkpoint against the self-play model. */
  gateAccepted?: boolean;
  gateWins?: number;
  gateDraws?: number;
  gateLosses?: number;
  /** A multi-size or multi-game run: per board size (or game), this iteration's games, samples and gradient steps, and its replay window now. */
  sizes?: SizeMetrics[];
  /** A distributed run (`--redis`): the actor processes alive at the end of this iteration (their heartbeats). */
  actors?: ActorMetrics[];
  /** A distributed run: what the learner did with the records of the positions stream, so far in this session. */
  distributed?: DistributedMetrics;
}

/** One actor process of a distributed run, as its last heartbeat tells. */
export interface ActorMetrics {
  id: string;
  /** Worker threads of the process. */
  workers: number;
  /** Games it sent since it started. */
  games: number;
  /** Moves per second it played over the last 20 s or so (its heartbeats). */
  positionsPerSecond: number;
  /** The model version it plays with now. */
  modelVersion: number;
}

/** Counters of a distributed run's learner over the records it read (this session). */
export interface DistributedMetrics {
  /** Games taken into the replay data. */
  accepted: number;
  /** Games dropped because their model was more than `distributed.maxModelLag` versions old. */
  stale: number;
  /** Records refused (not an arbor record, another run's, another game's, damaged). */
  rejected: number;
  /** Records found again after a restart that the run folder already held (acknowledged, not used twice). */
  duplicates: number;
}

/** One board size's share of a multi-size iteration. */
export interface SizeMetrics {
  game: string;
  games: number;
  samples: number;
  trainSteps: number;
  window: number;
}

/** Written after each in-run evaluation (its top-level record is of the run's main game). */
export interface EvaluationMetrics extends EvaluationRecord {
  type: 'evaluation';
  iteration: number;
  elapsedS: number;
  games: number;
  /** A run over several sizes or games: the evaluation of each, in the order of config `games`. */
  byGame?: GameEvaluation[];
}

/** One game's (or board size's) evaluation in a run over several. */
export interface GameEvaluation extends EvaluationRecord {
  game: string;
}

/** Written once, after the closing test against perfect play. */
export interface FinalMetrics {
  type: 'final';
  iteration: number;
  elapsedS: number;
  games: number;
  results: PerfectPlayResult[];
}

/** One evaluation of a checkpoint: arena results, the Elo estimate, the perfect-play oracle. */
export interface EvaluationRecord {
  checkpoint: string;
  elo: number | null;
  eloCi95: [number, number] | null;
  results: OpponentResult[];
  oracle: OracleMetrics | null;
  /** Games against the perfect player (`evaluation.perfectPlayGames`, started as the closing test's), or null. */
  perfectPlay: PerfectPlayResult | null;
  summary: string;
}

export interface OpponentResult {
  opponent: string;
  wins: number;
  draws: number;
  losses: number;
  /** (wins + draws/2) / games. */
  score: number;
}

export interface OracleMetrics {
  positions: number;
  /** Positions where some legal move changes the game-theoretic result. */
  decisivePositions: number;
  /** Share of all positions where the search's move keeps the game-theoretic result. */
  optimalMoveRate: number;
  /** The same over decisive positions only (where a wrong move costs something). */
  decisiveKeepRate: number;
  /** The two rates for the raw network (one simulation: its policy's favourite move). */
  rawOptimalMoveRate: number;
  rawDecisiveKeepRate: number;
}

export interface PerfectPlayResult {
  agent: string;
  opponent: string;
  games: number;
  wins: number;
  draws: number;
  losses: number;
  /** True when the agent lost no game: the measure for random first moves (perfect play never loses tic-tac-toe); from labelled starts some are lost for any agent, see keptResult. */
  neverLost: boolean;
  /**
   * Labelled starts only (`final.minStones` > 0), else null: games whose result for the agent
   * equals the game-theoretic value of the start position for the agent. Against a perfect
   * player no agent can do better, so keeping it in every game is perfect play from those starts.
   */
  keptResult: number | null;
  /** Least stones of the labelled starts (`final.minStones`); 0 = one random first move from the empty board. */
  minStones: number;
}

/** Parses metrics.jsonl, skipping a torn or empty line (an append cut short by kill -9). */
export function readMetrics(path: string): MetricsRow[] {
  if (!existsSync(path)) return [];
  const out: MetricsRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const row: unknown = JSON.parse(line);
      if (typeof row === 'object' && row !== null) out.push(row as MetricsRow);
    } catch {
      // a line torn by kill -9 in the middle of an append
    }
  }
  return out;
}
