import { createAgent, ArborError, deriveSeed, type Game } from '../core/index.js';
import { createGameRunner, fitRatings, playMatch, type GameRunner, type MatchResult, type PairResult } from '../arena/index.js';
import { existsSync } from 'node:fs';
import { evaluateAgentOnPositions, hasSolver, loadPositions, shippedPositionsPath, type LabelledPosition } from '../solvers/index.js';
import type { TrainConfig } from './config.js';
import type { EvaluationRecord, OpponentResult, OracleMetrics, PerfectPlayResult } from './metrics.js';
import type { RunFolder, RunState } from './run-folder.js';

export type { EvaluationRecord, OpponentResult, OracleMetrics, PerfectPlayResult };

/**
 * Evaluation during training: the checkpoint, searching with `evaluation.simulations` visits,
 * plays paired games over random one-ply openings against fixed references (random, greedy,
 * uct:simulations=N, ...) and the last evaluated checkpoints; an Elo estimate comes from a
 * Bradley-Terry fit anchored at `random` = 0 (or the first reference). Where a solver exists
 * (tic-tac-toe, Connect Four) the oracle metrics are added: the optimal-move rate on labelled
 * positions for the search and for the raw network (one simulation).
 */

/** Whether the perfect-play oracle exists for a game: a solver and a shipped labelled position set. */
export function hasOracle(game: Game): boolean {
  return hasSolver(game) && existsSync(shippedPositionsPath(game));
}

export function modelAgentSpec(checkpointDir: string, simulations: number): string {
  return `mcts:model=${checkpointDir},simulations=${simulations}`;
}

function toResult(opponent: string, m: MatchResult): OpponentResult {
  const games = m.aWins + m.draws + m.bWins;
  return { opponent, wins: m.aWins, draws: m.draws, losses: m.bWins, score: games ? (m.aWins + m.draws / 2) / games : 0 };
}

/**
 * Evaluates `checkpoint` on `game`. A run over several games evaluates each: the other games keep
 * their reference ladders in `ladder` (the run's main game keeps it in the run state) and draw
 * their seeds with `seedSalt` (their spec), so the main game's matches stay what they were.
 */
export async function evaluateCheckpoint(o: { game: Game; config: TrainConfig; folder: RunFolder; state: RunState; checkpoint: string; workers: number; ladder?: Pick<RunState, 'referencePairs'>; seedSalt?: string }): Promise<EvaluationRecord> {
  const ev = o.config.evaluation;
  const ladder = o.ladder ?? o.state;
  const salt = o.seedSalt === undefined ? [] : [o.seedSalt];
  const me = modelAgentSpec(o.folder.checkpointDir(o.checkpoint), ev.simulations);
  // slice(-0) would keep them all: previousCheckpoints 0 means none.
  const previous = ev.previousCheckpoints > 0 ? o.state.evaluatedCheckpoints.filter((c) => c !== o.checkpoint).slice(-ev.previousCheckpoints) : [];
  const opponents = [...ev.opponents, ...previous.map((c) => modelAgentSpec(o.folder.checkpointDir(c), ev.simulations))];
  const names = [...ev.opponents, ...previous];
  const results: OpponentResult[] = [];
  const pairs: PairResult[] = [];
  let perfectPlay: PerfectPlayResult | null = null;
  const playSolver = ev.perfectPlayGames > 0 && hasSolver(o.game);
  if (ev.gamesPerOpponent > 0 || playSolver) {
    const runner = createGameRunner(o.workers);
    try {
      // The reference ladder (random vs greedy vs uct...) is played once per run and kept in the
      // run state, so the Elo fit links every reference and the estimate does not saturate once
      // the agent beats `random` every time.
      if (!ladder.referencePairs && ev.gamesPerOpponent > 0) {
        ladder.referencePairs = [];
        for (let i = 0; i + 1 < ev.opponents.length; i++) {
          const m = await playMatch({
            game: o.game.spec,
            a: ev.opponents[i + 1],
            b: ev.opponents[i],
            games: ev.gamesPerOpponent,
            openingPlies: 1,
            seed: deriveSeed(o.config.seed, ...salt, 'ladder', i),
            workers: runner,
          });
          ladder.referencePairs.push({ a: ev.opponents[i + 1], b: ev.opponents[i], aWins: m.aWins, draws: m.draws, bWins: m.bWins });
        }
      }
      for (let i = 0; ev.gamesPerOpponent > 0 && i < opponents.length; i++) {
        const m = await playMatch({
          game: o.game.spec,
          a: me,
          b: opponents[i],
          games: ev.gamesPerOpponent,
          openingPlies: 1,
          seed: deriveSeed(o.config.seed, ...salt, 'evaluation', o.checkpoint, names[i]),
          workers: runner,
        });
        results.push(toResult(names[i], m));
        pairs.push({ a: 'current', b: names[i], aWins: m.aWins, draws: m.draws, bWins: m.bWins });
      }
      if (playSolver) {
        perfectPlay = await playAgainstPerfectPlay({
          game: o.game,
          agent: me,
          games: ev.perfectPlayGames,
          minStones: o.config.final.minStones,
          seed: deriveSeed(o.config.seed, ...salt, 'perfect-play', o.checkpoint),
          workers: runner,
        });
      }
    } finally {
      await runner.close();
    }
  }
  let elo: number | null = null;
  let eloCi95: [number, number] | null = null;
  const anchor = ev.opponents.includes('random') ? 'random' : ev.opponents[0];
  if (anchor && pairs.some((p) => p.b === anchor)) {
    const fit = fitRatings([...(ladder.referencePairs ?? []), ...pairs.filter((p) => ev.opponents.includes(p.b))], anchor);
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
    ...(perfectPlay ? [perfectPlaySummary(perfectPlay)] : []),
    ...(oracle ? [`keeps the result in ${(100 * oracle.decisiveKeepRate).toFixed(1)}% of ${oracle.decisivePositions} decisive positions (raw net ${(100 * oracle.rawDecisiveKeepRate).toFixed(1)}%)`] : []),
  ].join(', ');
  return { checkpoint: o.checkpoint, elo, eloCi95, results, oracle, perfectPlay, summary };
}

/** The in-run verdict against perfect play, short: kept results from labelled starts, else losses. */
function perfectPlaySummary(f: PerfectPlayResult): string {
  return f.keptResult !== null
    ? `vs solver kept ${f.keptResult}/${f.games}`
    : `vs solver +${f.wins}=${f.draws}-${f.losses}`;
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

/**
 * Start positions of the closing test: `count` of the game's shipped labelled positions with at
 * least `minStones` stones, evenly spaced through the file (sorted by stones), so the starts
 * cover the middle game and the end game alike and are the same for every run. ArborError
 * when the game ships no labelled positions or fewer than `count` with that many stones.
 */
export function finalStartPositions(game: Game, count: number, minStones: number): LabelledPosition[] {
  if (!existsSync(shippedPositionsPath(game))) {
    throw new ArborError(`final.minStones ${minStones} needs labelled positions, but none are shipped for ${game.spec}; set final.minStones to 0 (random first moves) or final.games to 0`);
  }
  const all = loadPositions(game).filter((p) => p.stones >= minStones);
  if (all.length === 0) {
    const most = Math.max(...loadPositions(game).map((p) => p.stones));
    throw new ArborError(`final.minStones ${minStones}: no labelled ${game.spec} position has that many stones (the most is ${most}); use a smaller final.minStones`);
  }
  if (count > all.length) {
    throw new ArborError(`${2 * count} games against the solver (final.games, evaluation.perfectPlayGames) need ${count} labelled starts (two games each) but ${game.spec} ships ${all.length} with at least ${minStones} stones; play at most ${2 * all.length} games or use a smaller final.minStones`);
  }
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}

/** Refuses, before a run starts, a `final.minStones` the closing test or the in-run games against the solver could not use (ArborError). */
export function checkFinalStarts(game: Game, config: TrainConfig): void {
  if (config.final.minStones === 0 || !hasSolver(game)) return;
  const games = Math.max(config.final.games, config.evaluation.every > 0 ? config.evaluation.perfectPlayGames : 0);
  if (games > 0) finalStartPositions(game, Math.ceil(games / 2), config.final.minStones);
}

/** The action list of a labelled position, from the start: an opening for playMatch. */
function positionMoves(game: Game, p: LabelledPosition): number[] {
  const state = game.parseState(p.moves);
  return Array.from({ length: state.moveNumber() }, (_, i) => state.actionAt(i));
}

/**
 * One agent against the perfect player (`solver`) in paired games over shared openings (playMatch
 * path). minStones 0: one random ply from the empty board per opening. minStones > 0: openings
 * are labelled positions (finalStartPositions); each is played twice, the colours swapped as
 * the arena pairs games, so the agent is once the side to move at the start and once answers
 * the solver's first move from it. Both halves matter (choosing well, and defending against
 * perfect play), and pairing keeps the same schedule as every other arena match. The agent may
 * start from a lost position, so the measure is `keptResult`, not `neverLost`.
 */
export async function playAgainstPerfectPlay(o: { game: Game; agent: string; games: number; minStones: number; seed: string; workers: number | GameRunner; opponent?: string }): Promise<PerfectPlayResult> {
  const opponent = o.opponent ?? 'solver';
  const starts = o.minStones > 0 ? finalStartPositions(o.game, Math.ceil(o.games / 2), o.minStones) : null;
  const m = await playMatch({
    game: o.game.spec,
    a: o.agent,
    b: opponent,
    games: o.games,
    ...(starts ? { openings: starts.map((p) => positionMoves(o.game, p)) } : { openingPlies: 1 }),
    seed: o.seed,
    workers: o.workers,
  });
  let keptResult: number | null = null;
  if (starts) {
    // The start's value for the side to move is the sign of its best move's exact score; the
    // agent (agents[0] of the match) is the side to move when its seat is that player.
    const values = starts.map((p) => {
      const best = Math.max(...p.scores.filter((v): v is number => v !== null));
      return { value: Math.sign(best), mover: o.game.parseState(p.moves).currentPlayer() };
    });
    keptResult = 0;
    for (const f of m.games) {
      const start = values[f.scheduled.openingIndex];
      const agentSeat = f.scheduled.iFirst ? 0 : 1;
      const expected = agentSeat === start.mover ? start.value : -start.value;
      const result = f.iScore === 1 ? 1 : f.iScore === 0 ? -1 : 0;
      if (result === expected) keptResult++;
    }
  }
  return { agent: o.agent, opponent, games: m.aWins + m.draws + m.bWins, wins: m.aWins, draws: m.draws, losses: m.bWins, neverLost: m.bWins === 0, keptResult, minStones: o.minStones };
}

/**
 * The closing test of a run: the trained agent against the perfect player (`solver`), both
 * colours — once searching with `final.simulations` visits, once as the raw network (one
 * simulation). The games start from one random first move each (`final.minStones` 0), or from
 * labelled positions with at least `final.minStones` stones where early positions take the
 * solver minutes (Connect Four). Empty for games without a solver.
 */
export async function finalPerfectPlayTest(o: { game: Game; config: TrainConfig; folder: RunFolder; checkpoint: string; workers: number }): Promise<PerfectPlayResult[]> {
  if (!hasSolver(o.game)) return [];
  const results: PerfectPlayResult[] = [];
  const runner = createGameRunner(o.workers);
  try {
    for (const sims of [o.config.final.simulations, 1]) {
      results.push(await playAgainstPerfectPlay({
        game: o.game,
        agent: modelAgentSpec(o.folder.checkpointDir(o.checkpoint), sims),
        games: o.config.final.games,
        minStones: o.config.final.minStones,
        seed: deriveSeed(o.config.seed, 'final', o.checkpoint),
        workers: runner,
      }));
    }
  } finally {
    await runner.close();
  }
  return results;
}

/** One line per result: the closing test's verdict in words. */
export function describePerfectPlay(f: PerfectPlayResult): string {
  const record = `${f.wins} wins, ${f.draws} draws, ${f.losses} losses`;
  if (f.keptResult !== null) {
    return `${f.games} games from labelled positions with at least ${f.minStones} stones, both colours: ${record} — kept the result in ${f.keptResult} of ${f.games} games against perfect play`;
  }
  return `${f.games} games, both colours, random first moves: ${record} — ${f.neverLost ? 'never lost: perfect play' : 'lost some games: not yet perfect'}`;
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
