import type { Agent, Game } from '../core/index.js';
import type { SearchAgent } from '../agents/index.js';
import { ACTION_UNPROVEN, type SearchResult } from '../mcts/index.js';

/**
 * What a search agent found behind its move, written for people: the value, the principal
 * variation in the game's move notation, and (for `move --analyze`) a table of the root moves.
 * Used wherever a command prints a search result (move, play, demo).
 */

/** Board symbol of a player, as the boards print them. */
export function playerSymbol(player: number): string {
  return player === 0 ? 'X' : 'O';
}

/** The agent's last search result, if it searches (uct, mcts, gumbel); null for others. */
export function lastSearchResult(agent: Agent): SearchResult | null {
  return 'lastResult' in agent ? (agent as SearchAgent).lastResult : null;
}

/** The principal variation in move notation, moves separated by spaces: `4 3 5 5`, `b2 a1 c3`. */
export function formatVariation(game: Game, actions: readonly number[]): string {
  return actions.map((a) => game.actionToString(a)).join(' ');
}

/** `+0.31`, `-1.00`: a value in [-1, 1] for the player to move. */
export function formatValue(value: number): string {
  return `${value >= 0 ? '+' : '-'}${Math.abs(value).toFixed(2)}`;
}

function provenWord(proven: number): string {
  return proven > 0 ? 'win' : proven < 0 ? 'loss' : 'draw';
}

/** `value +0.31, expects 4 3 5 5, 2000 simulations` (or `proven win`), one clause list for a log line. */
export function formatSearchSummary(game: Game, result: SearchResult): string {
  const value = result.proven !== null ? `proven ${provenWord(result.proven)}` : `value ${formatValue(result.value)}`;
  // A tree kept from the previous move may already prove the result: no new simulation then.
  const work = result.stats.simulations > 0 ? `, ${result.stats.simulations} simulations` : '';
  return `${value}, expects ${formatVariation(game, result.principalVariation)}${work}`;
}

/** One row of the root table: a legal move and what the search knows about it. */
export interface RootMove {
  readonly action: number;
  readonly visits: number;
  /** The search's policy (visit share; Gumbel: its improved policy). */
  readonly policy: number;
  readonly prior: number;
  /** Mean value of the move for the player to move, or null if never visited. */
  readonly value: number | null;
  /** -1, 0, 1 for the player to move when the solver proved it, else null. */
  readonly proven: number | null;
}

/**
 * The root moves of the agent's last search, most visited first. The values come from the
 * agent's tree (read only): they are the means the search itself ranked the moves by.
 */
export function rootMoves(agent: SearchAgent, result: SearchResult): RootMove[] {
  const tree = agent.search.treeView;
  const moves: RootMove[] = [];
  const root = tree.root;
  const first = root >= 0 ? tree.firstChild[root] : -1;
  const children = root >= 0 && first >= 0 ? tree.numChildren[root] : 0;
  for (let c = first; c < first + children; c++) {
    const action = tree.action[c];
    const proven = result.actionProven[action];
    moves.push({
      action,
      visits: result.visits[action],
      policy: result.policy[action],
      prior: result.prior[action],
      // Children store values for their mover: the player to move at the root.
      value: tree.visits[c] > 0 || proven !== ACTION_UNPROVEN ? tree.q(c) : null,
      proven: proven === ACTION_UNPROVEN ? null : proven,
    });
  }
  // Most visited first; among equals the move played, then by the search's policy.
  const chosen = (m: RootMove) => (m.action === result.bestAction ? 1 : 0);
  return moves.sort((a, b) => b.visits - a.visits || chosen(b) - chosen(a) || b.policy - a.policy || a.action - b.action);
}

/** Rows shown before the rest is summarised (gomoku has 81 moves). */
const MAX_ROWS = 12;

/**
 * The labelled table of `move --analyze`: a header naming the position, the mover and the agent,
 * one row per root move, then the value and the principal variation.
 */
export function formatAnalysis(game: Game, position: string, mover: number, agent: SearchAgent, result: SearchResult): string {
  const moves = rootMoves(agent, result);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const header = ['move', 'visits', 'policy', 'prior', 'value', 'proven'];
  const rows = moves.slice(0, MAX_ROWS).map((m) => [
    game.actionToString(m.action),
    String(m.visits),
    pct(m.policy),
    pct(m.prior),
    m.value === null ? '-' : formatValue(m.value),
    m.proven === null ? '' : provenWord(m.proven),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  const out = [`${position}: ${playerSymbol(mover)} to move; ${agent.name} plays ${game.actionToString(result.bestAction)}`, line(header), ...rows.map(line)];
  if (moves.length > MAX_ROWS) out.push(`  (${moves.length - MAX_ROWS} more moves with fewer visits)`);
  out.push(`  ${formatSearchSummary(game, result)} in ${(result.stats.timeMs / 1000).toFixed(2)} s`);
  return out.join('\n');
}

/** What the columns of `formatAnalysis` mean, printed once under the tables. */
export const ANALYSIS_LEGEND = [
  'visits: simulations through the move; policy: the search\'s move probabilities (visit share, or Gumbel\'s improved policy);',
  'prior: the evaluator\'s prior (uniform without a network); value: mean result of the move for the player to move, -1 loss .. +1 win;',
  'proven: result the MCTS-solver proved; expects: the principal variation, the line both sides play if the search is right.',
].join('\n');
