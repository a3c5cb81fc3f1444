import { ArborError, deriveSeed, validateAgentSpec, type Game } from '../core/index.js';
import { ladderFitness, tallyScore, type LadderEvaluator, type LadderResult, type RungResult } from '../programs/synth/fitness.js';
import { matchOpenings, runScheduled, scheduleGames, type ArenaAgent } from './match.js';
import { SprtTest, type SprtParams } from './sprt.js';
import type { GameRunner } from './workers.js';

/**
 * A ladder of reference opponents for the program synthesizer (src/programs/synth): a candidate
 * plays paired games with random openings against each rung in turn, each rung decided by a
 * GSPRT (sprt.ts: H0 "not stronger", elo0, against H1 "stronger by elo1"), and meets the next
 * rung only if it beat this one. Games run on a GameRunner (worker threads) in fixed chunks of
 * whole pairs, and the test sees each chunk's games in schedule order, so the games played and
 * the decisions taken depend on the seed only, never on which worker finished first.
 */

export interface LadderOptions {
  readonly game: Game;
  /** Opponent specs, lowest rung first. */
  readonly rungs: readonly string[];
  readonly runner: GameRunner;
  readonly sprt: SprtParams;
  /** Most games against one rung (a pair is two games); the test may stop sooner. */
  readonly maxGames: number;
  /** Random plies of each opening. */
  readonly openingPlies: number;
  /** Per-move wall-clock budget for both sides (ms), when set. */
  readonly moveTimeMs?: number;
  /** Called after every chunk of games with how many were played (progress bars). */
  readonly onGames?: (played: number) => void;
}

/** Games per chunk: whole pairs, one pair per worker. */
function chunkSize(runner: GameRunner): number {
  return 2 * Math.max(1, runner.workers);
}

export function createLadder(o: LadderOptions): LadderEvaluator {
  if (o.rungs.length === 0) throw new ArborError('the ladder has no rungs; give opponents, e.g. "random;greedy;uct:simulations=200"');
  for (const spec of o.rungs) validateAgentSpec(spec);
  if (!(Number.isInteger(o.maxGames) && o.maxGames >= 2)) throw new ArborError(`games per rung ${o.maxGames} must be an integer >= 2 (a pair of games)`);

  /** Plays up to `games` paired games of `spec` against `opponent`; `stop` sees the tally after each chunk. */
  const play = async (spec: string, opponent: string, seed: string, games: number, stop: (w: number, d: number, l: number, newScores: number[]) => boolean): Promise<{ wins: number; draws: number; losses: number }> => {
    const agents: ArenaAgent[] = [{ spec, moveTimeMs: o.moveTimeMs }, { spec: opponent, moveTimeMs: o.moveTimeMs }];
    const openings = matchOpenings(o.game, games, o.openingPlies, seed);
    const schedule = scheduleGames({ game: o.game, agents, pairs: [[0, 1]], gamesPerPair: games, openings, seed });
    let wins = 0;
    let draws = 0;
    let losses = 0;
    const chunk = chunkSize(o.runner);
    for (let start = 0; start < schedule.length; start += chunk) {
      const slice = schedule.slice(start, start + chunk);
      const finished = await runScheduled(slice, o.runner, () => false, { gamesPerTask: 1 });
      const order = new Map(slice.map((g, k) => [g, k]));
      finished.sort((a, b) => (order.get(a.scheduled) as number) - (order.get(b.scheduled) as number));
      const scores = finished.map((f) => f.iScore);
      for (const s of scores) {
        if (s === 1) wins++;
        else if (s === 0) losses++;
        else draws++;
      }
      o.onGames?.(finished.length);
      if (stop(wins, draws, losses, scores)) break;
    }
    return { wins, draws, losses };
  };

  const rungResult = (opponent: string, t: { wins: number; draws: number; losses: number }, decision: RungResult['decision'], passed: boolean): RungResult => {
    const games = t.wins + t.draws + t.losses;
    return { opponent, ...t, games, score: tallyScore(t.wins, t.draws, games), passed, decision };
  };

  return {
    rungs: o.rungs,
    evaluate: async (spec, seed): Promise<LadderResult> => {
      const rungs: RungResult[] = [];
      let games = 0;
      for (const [index, opponent] of o.rungs.entries()) {
        const test = new SprtTest(o.sprt);
        const tally = await play(spec, opponent, deriveSeed(seed, `rung${index}`), o.maxGames, (_w, _d, _l, scores) => {
          for (const s of scores) test.add(s);
          return test.decision !== 'continue';
        });
        const decision = test.decision === 'continue' ? 'max-games' : test.decision;
        const score = tallyScore(tally.wins, tally.draws, tally.wins + tally.draws + tally.losses);
        const passed = decision === 'H1' || (decision === 'max-games' && score > 0.5);
        const result = rungResult(opponent, tally, decision, passed);
        rungs.push(result);
        games += result.games;
        if (!passed) break;
      }
      return { rungs, games, fitness: ladderFitness(rungs) };
    },
    measure: async (spec, seed, gamesPerRung) => {
      const out: RungResult[] = [];
      for (const [index, opponent] of o.rungs.entries()) {
        const tally = await play(spec, opponent, deriveSeed(seed, `measure${index}`), gamesPerRung, () => false);
        const score = tallyScore(tally.wins, tally.draws, gamesPerRung);
        out.push(rungResult(opponent, tally, 'fixed', score > 0.5));
      }
      return out;
    },
  };
}
