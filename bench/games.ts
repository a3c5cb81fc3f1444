import type { Ctx, Game as BgioGame } from 'boardgame.io';
import { bgioInternal } from '../src/boardgameio/bgio.js';
import { createGame, gameDefinitions, perft } from '../src/envs/index.js';
import { bgioConnect4, bgioTicTacToe } from './bgio-peers.js';
import { formatRate, measureRate } from './timing.js';

export interface GameBenchRow {
  game: string;
  depth: number;
  nodesPerSecond: number;
  bgioNodesPerSecond?: number;
  ratio?: number;
}

/** Perft through boardgame.io's reducer: the same counting, one reducer step per applied move. */
function bgioPerft(game: BgioGame, depth: number): number {
  const { CreateGameReducer, InitializeGame } = bgioInternal();
  const reducer = CreateGameReducer({ game });
  const enumerate = game.ai!.enumerate as (G: unknown, ctx: Ctx, playerID: string) => { move: string; args: unknown[] }[];
  let nodes = 0;
  // The reducer mutates nothing (immer), so each recursion level keeps its own state object.
  type S = ReturnType<typeof InitializeGame>;
  const walk = (state: S, d: number) => {
    if (state.ctx.gameover) return;
    const moves = enumerate(state.G, state.ctx, state.ctx.currentPlayer);
    nodes += moves.length;
    for (const m of moves) {
      const next = reducer(state, { type: 'MAKE_MOVE', payload: { type: m.move, args: m.args, playerID: state.ctx.currentPlayer } } as never);
      if (d + 1 < depth) walk(next as S, d + 1);
    }
  };
  walk(InitializeGame({ game }), 0);
  return nodes;
}

/**
 * Depths for a run of about a second. Every counted move is played (no bulk counting at the
 * leaves), and the boardgame.io peer counts the very same sequences at the same depth.
 */
const DEPTHS: Record<string, number> = { tictactoe: 5, connect4: 5, gomoku: 3, othello: 6, hex: 3, breakthrough: 4 };

export async function benchGames(options: { json?: boolean; minMs?: number }): Promise<{ games: GameBenchRow[] }> {
  const minMs = options.minMs ?? 1500;
  const rows: GameBenchRow[] = [];
  const quiet = console.error;
  for (const def of gameDefinitions()) {
    const game = createGame(def.id);
    const depth = DEPTHS[def.id] ?? 4;
    const start = game.newInitialState();
    const arbor = measureRate(() => perft(start, depth, { applyLeaves: true }).reduce((a, b) => a + b, 0), minMs);
    const row: GameBenchRow = { game: game.spec, depth, nodesPerSecond: Math.round(arbor.perSecond) };
    const peer = def.id === 'tictactoe' ? bgioTicTacToe() : def.id === 'connect4' ? bgioConnect4() : null;
    if (peer) {
      console.error = () => {};
      try {
        const bgio = measureRate(() => bgioPerft(peer, depth), minMs);
        row.bgioNodesPerSecond = Math.round(bgio.perSecond);
        row.ratio = Number((arbor.perSecond / bgio.perSecond).toFixed(1));
      } finally {
        console.error = quiet;
      }
    }
    rows.push(row);
    if (!options.json) {
      const peerText = row.ratio ? `   boardgame.io reducer ${formatRate(row.bgioNodesPerSecond!)} nodes/s   ratio ${row.ratio}x` : '';
      process.stdout.write(`${game.spec.padEnd(14)} perft depth ${depth}: ${formatRate(row.nodesPerSecond)} nodes/s${peerText}\n`);
    }
  }
  return { games: rows };
}
