import { isFalseResignation, type Trajectory } from './trajectory.js';

/** Totals over a batch of self-play games (the metrics of an iteration are read from them). */
export interface SelfPlayStats {
  games: number;
  /** Every move played (full and cheap; not a resignation). */
  moves: number;
  /** Samples written (full-budget moves only; under surprise weighting a position written k times counts k). */
  samples: number;
  /** Games won by the first player, the second, and drawn. */
  firstWins: number;
  secondWins: number;
  draws: number;
  resigned: number;
  playthroughGames: number;
  /** Playthrough games in which a player would have resigned but did not lose. */
  falseResignations: number;
  /** Simulations asked for over all searches. */
  simulations: number;
  /** Time spent playing the games, summed over games in flight together. */
  searchMs: number;
}

export function emptyStats(): SelfPlayStats {
  return { games: 0, moves: 0, samples: 0, firstWins: 0, secondWins: 0, draws: 0, resigned: 0, playthroughGames: 0, falseResignations: 0, simulations: 0, searchMs: 0 };
}

export function addStats(into: SelfPlayStats, s: SelfPlayStats): void {
  for (const k of Object.keys(into) as (keyof SelfPlayStats)[]) into[k] += s[k];
}

/** Counts one finished game of which `samples` samples were written. */
export function addGame(into: SelfPlayStats, t: Trajectory, samples: number): void {
  into.games++;
  into.moves += t.plies - (t.resignation.resignedBy >= 0 ? 1 : 0);
  into.samples += samples;
  for (let i = 0; i < t.plies; i++) into.simulations += t.simulations[i];
  into.searchMs += t.playMs;
  if (t.resignation.resignedBy >= 0) into.resigned++;
  if (t.resignation.playthrough) into.playthroughGames++;
  if (isFalseResignation(t)) into.falseResignations++;
  if (t.outcome[0] > 0) into.firstWins++;
  else if (t.outcome[1] > 0) into.secondWins++;
  else into.draws++;
}
