import { createAgent } from '../agents/index.js';
import { createGameRunner, fitRatings, playMatch, type MatchResult, type PairResult } from '../arena/index.js';
import { deriveSeed, type Game } from '../envs/index.js';
import { existsSync } from 'node:fs';
import { evaluateAgentOnPositions, hasSolver, loadPositions, shippedPositionsPath } from '../solvers/index.js';
import type { TrainConfig } from './config.js';
import type { RunFolder, RunState } from './run-folder.js';

/**
 * Evaluation during training: the checkpoint, searching with `evaluation.simulations` visits,
 * plays paired games over random one-ply openings against fixed references (random, greedy,
 * uct:sims=N, ...) and the last evaluated checkpoints; an Elo estimate comes from a
 * Bradley-Terry fit anchored at `random` = 0 (or the first reference). Where a solver exists
 * (tic-tac-toe, Connect Four) the oracle metrics are added: the optimal-move rate on labelled
 * positions for the search and for the raw network (one simulation).
 */

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

/** Whether the perfect-play oracle exists for a game: a solver and a shipped labelled position set. */
export function hasOracle(game: Game): boolean {
  return hasSolver(game) && existsSync(shippedPositionsPath(game));
}

export interface EvaluationRecord {
  checkpoint: string;
  elo: number | null;
  eloCi95: [number, number] | null;
  results: OpponentResult[];
  oracle: OracleMetrics | null;
  summary: string;
}

export function modelAgentSpec(checkpointDir: string, simulations: number): string {
  return `mcts:model=${checkpointDir},sims=${simulations}`;
}

function toResult(opponent: string, m: MatchResult): OpponentResult {
  const games = m.aWins + m.draws + m.bWins;
  return { opponent, wins: m.aWins, draws: m.draws, losses: m.bWins, score: games ? (m.aWins + m.draws / 2) / games : 0 };
}

export async function evaluateCheckpoint(o: { game: Game; config: TrainConfig; folder: RunFolder; state: RunState; checkpoint: string; workers: number }): Promise<EvaluationRecord> {
  const ev = o.config.evaluation;
  const me = modelAgentSpec(o.folder.checkpointDir(o.checkpoint), ev.simulations);
  const previous = o.state.evaluatedCheckpoints.filter((c) => c !== o.checkpoint).slice(-ev.previousCheckpoints);
  const opponents = [...ev.opponents, ...previous.map((c) => modelAgentSpec(o.folder.checkpointDir(c), ev.simulations))];
  const names = [...ev.opponents, ...previous];
  const results: OpponentResult[] = [];
  const pairs: PairResult[] = [];
  if (ev.gamesPerOpponent > 0) {
    const runner = createGameRunner(o.workers);
    try {
      // The reference ladder (random vs greedy vs uct...) is played once per run and kept in the
      // run state, so the Elo fit links every reference and the estimate does not saturate once
      // the agent beats `random` every time.
      if (!o.state.referencePairs) {
        o.state.referencePairs = [];
        for (let i = 0; i + 1 < ev.opponents.length; i++) {
          const m = await playMatch({
            game: o.game.spec,
            a: ev.opponents[i + 1],
            b: ev.opponents[i],
            games: ev.gamesPerOpponent,
            openingPlies: 1,
            seed: deriveSeed(o.config.seed, 'ladder', i),
            workers: runner,
          });
          o.state.referencePairs.push({ a: ev.opponents[i + 1], b: ev.opponents[i], aWins: m.aWins, draws: m.draws, bWins: m.bWins });
        }
      }
      for (let i = 0; i < opponents.length; i++) {
        const m = await playMatch({
          game: o.game.spec,
          a: me,
          b: opponents[i],
          games: ev.gamesPerOpponent,
          openingPlies: 1,
          seed: deriveSeed(o.config.seed, 'evaluation', o.checkpoint, names[i]),
          workers: runner,
        });
        results.push(toResult(names[i], m));
        pairs.push({ a: 'current', b: names[i], aWins: m.aWins, draws: m.draws, bWins: m.bWins });
      }
    } finally {
      await runner.close();
    }
  }
  let elo: number | null = null;
  let eloCi95: [number, number] | null = null;
  const anchor = ev.opponents.includes('random') ? 'random' : ev.opponents[0];
  if (anchor && pairs.some((p) => p.b === anchor)) {
    const fit = fitRatings([...(o.state.referencePairs ?? []), ...pairs.filter((p) => ev.opponents.includes(p.b))], anchor);
    const r = fit.ratings.find((x) => x.name === 'current');
    if (r) {
      elo = r.elo;
      eloCi95 = [r.ci95[0], r.ci95[1]];
    }
  }
  const oracle = ev.oracle && hasOracle(o.game) ? await oracleMetrics(o.game, o.folder.checkpointDir(o.checkpoint), ev.simulations, ev.oraclePositions, o.config.seed) : null;
  const summary = [
    ...results.map((r) => `${r.opponent} +${r.wins}=${r.draws}-${r.losses}`),
    ...(elo !== null ? [`Elo ${elo.toFixed(0)} (vs ${anchor})`] : []),
    ...(oracle ? [`keeps the result in ${(100 * oracle.decisiveKeepRate).toFixed(1)}% of ${oracle.decisivePositions} decisive positions (raw net ${(100 * oracle.rawDecisiveKeepRate).toFixed(1)}%)`] : []),
  ].join(', ');
  return { checkpoint: o.checkpoint, elo, eloCi95, results, oracle, summary };
}

async function oracleMetrics(game: Game, checkpointDir: string, simulations: number, count: number, seed: string): Promise<OracleMetrics | null> {
  const all = loadPositions(game);
  // An evenly spaced subset keeps the file's mix of opening, middle and end positions.
  const n = count > 0 ? Math.min(count, all.length) : all.length;
  const positions = Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]);
  if (positions.length === 0) return null;
  const grade = async (sims: number) => {
    const agent = await createAgent(modelAgentSpec(checkpointDir, sims), { game, seed: deriveSeed(seed, 'oracle', sims) });
    try {
      return await evaluateAgentOnPositions(agent, game, positions);
    } finally {
      await agent.close?.();
    }
  };
  const search = await grade(simulations);
  const raw = await grade(1);
  return {
    positions: search.positions,
    decisivePositions: search.decisivePositions,
    optimalMoveRate: search.classOptimalRate,
    decisiveKeepRate: search.decisiveClassOptimalRate,
    rawOptimalMoveRate: raw.classOptimalRate,
    rawDecisiveKeepRate: raw.decisiveClassOptimalRate,
  };
}

export interface PerfectPlayResult {
  agent: string;
  opponent: string;
  games: number;
  wins: number;
  draws: number;
  losses: number;
  /** True when the agent lost no game against perfect play. */
  neverLost: boolean;
}

/**
 * The closing test of a run: the trained agent against the perfect player (`solver`), both
 * colours, over randomised first moves (one random ply per opening, each opening played twice
 * with colours swapped) — once searching with `final.simulations` visits, once as the raw
 * network (one simulation). Empty for games without a solver.
 */
export async function finalPerfectPlayTest(o: { game: Game; config: TrainConfig; folder: RunFolder; checkpoint: string; workers: number }): Promise<PerfectPlayResult[]> {
  if (!hasSolver(o.game)) return [];
  const results: PerfectPlayResult[] = [];
  const runner = createGameRunner(o.workers);
  try {
    for (const sims of [o.config.final.simulations, 1]) {
      const me = modelAgentSpec(o.folder.checkpointDir(o.checkpoint), sims);
      const m = await playMatch({
        game: o.game.spec,
        a: me,
        b: 'solver',
        games: o.config.final.games,
        openingPlies: 1,
        seed: deriveSeed(o.config.seed, 'final', o.checkpoint),
        workers: runner,
      });
      results.push({ agent: me, opponent: 'solver', games: m.aWins + m.draws + m.bWins, wins: m.aWins, draws: m.draws, losses: m.bWins, neverLost: m.bWins === 0 });
    }
  } finally {
    await runner.close();
  }
  return results;
}

export interface GateResult {
  accepted: boolean;
  wins: number;
  draws: number;
  losses: number;
  /** SPRT decision when it stopped the match, else `continue` (then `acceptScore` decided). */
  decision: 'H0' | 'H1' | 'continue';
}

/**
 * Optional gating (AlphaGo Zero, Silver et al. 2017): the candidate plays the model the actors
 * use; an SPRT (Elo elo0 vs elo1) stops the match as soon as it decides, and an undecided match
 * is settled by the score threshold (55% in AlphaGo Zero). Draws count half, so an all-draw match
 * is rejected (alpha-zero-general#88).
 */
export async function gateCandidate(o: { game: Game; config: TrainConfig; folder: RunFolder; candidate: string; incumbent: string; workers: number }): Promise<GateResult> {
  const g = o.config.gating;
  const m = await playMatch({
    game: o.game.spec,
    a: modelAgentSpec(o.folder.checkpointDir(o.candidate), g.simulations),
    b: modelAgentSpec(o.folder.checkpointDir(o.incumbent), g.simulations),
    games: g.games,
    openingPlies: 1,
    seed: deriveSeed(o.config.seed, 'gate', o.candidate),
    workers: o.workers,
    sprt: { elo0: g.elo0, elo1: g.elo1, alpha: g.alpha, beta: g.beta },
  });
  const decision = m.sprt?.decision ?? 'continue';
  const games = m.aWins + m.draws + m.bWins;
  const score = games ? (m.aWins + m.draws / 2) / games : 0;
  const accepted = decision === 'H1' || (decision === 'continue' && score >= g.acceptScore);
  return { accepted, wins: m.aWins, draws: m.draws, losses: m.bWins, decision };
}
