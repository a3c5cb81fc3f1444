import type { Ctx, Game as BgioGame, State as BgioState } from 'boardgame.io';
import { bgioAi, bgioInternal } from '../src/boardgameio/bgio.js';
import { type Game } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import { BYTES_PER_NODE, RolloutEvaluator, Search, Tree, UniformEvaluator } from '../src/mcts/index.js';
import { bgioConnect4, bgioTicTacToe } from './bgio-peers.js';
import { formatRate, measureRate } from './timing.js';

export interface UctBenchRow {
  game: string;
  position: string;
  iterations: number;
  arborIterationsPerSecond: number;
  bgioIterationsPerSecond: number;
  ratio: number;
}

export interface PuctBenchRow {
  game: string;
  simulationsPerSecond: number;
  bytesPerNode: number;
}

/** Positions as move strings in arbor's notation; both engines search the same position. */
const POSITIONS: Record<string, { name: string; moves: string }[]> = {
  tictactoe: [
    { name: 'start', moves: '' },
    { name: 'b2 a1', moves: 'b2 a1' },
    { name: 'b2 a1 c1', moves: 'b2 a1 c1' },
  ],
  connect4: [
    { name: 'start', moves: '' },
    { name: '4453', moves: '4453' },
    { name: '43443555', moves: '43443555' },
  ],
};

const ITERATIONS = 1000;

/** boardgame.io's MCTSBot at `iterations` per move (its default), on the peer game, from the same position. */
function bgioRate(peer: BgioGame, game: Game, moves: string, iterations: number, minMs: number): number {
  const { MCTSBot } = bgioAi();
  const { InitializeGame, CreateGameReducer } = bgioInternal();
  const reducer = CreateGameReducer({ game: peer });
  let state = InitializeGame({ game: peer }) as BgioState;
  const arborState = game.parseState(moves);
  for (let i = 0; i < arborState.moveNumber(); i++) {
    const move = game.id === 'connect4' ? 'drop' : 'clickCell';
    const playerID = state.ctx.currentPlayer;
    state = reducer(state, { type: 'MAKE_MOVE', payload: { type: move, args: [arborState.actionAt(i)], playerID } } as never) as BgioState;
  }
  const enumerate = peer.ai!.enumerate as (G: unknown, ctx: Ctx, playerID: string) => unknown[];
  let seed = 0;
  const work = (): number => {
    const bot = new MCTSBot({ game: peer, enumerate, seed: `bench-${seed++}`, iterations, playoutDepth: 50 });
    // With its `async` option off (the default) MCTSBot runs every iteration inside play() before returning.
    void bot.play(state, state.ctx.currentPlayer);
    return iterations;
  };
  const quiet = console.error;
  console.error = () => {};
  try {
    return measureRate(work, minMs).perSecond;
  } finally {
    console.error = quiet;
  }
}

async function asyncRate(run: () => Promise<number>, minMs: number): Promise<number> {
  let units = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    units += await run();
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs);
  return (units / elapsed) * 1000;
}

/** Bytes of typed-array memory one tree node takes, measured by allocating a large tree. */
function measureBytesPerNode(): number {
  const nodes = 1 << 20;
  const before = process.memoryUsage().arrayBuffers;
  const tree = new Tree(nodes, nodes);
  const after = process.memoryUsage().arrayBuffers;
  void tree.capacity;
  return Math.round(((after - before) / nodes) * 10) / 10;
}

export async function benchMcts(options: { json?: boolean; minMs?: number }): Promise<{ uct: UctBenchRow[]; puct: PuctBenchRow[] }> {
  const minMs = options.minMs ?? 1500;
  const out = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const uct: UctBenchRow[] = [];
  for (const id of ['tictactoe', 'connect4']) {
    const game = createGame(id);
    const peer = id === 'tictactoe' ? bgioTicTacToe() : bgioConnect4();
    for (const position of POSITIONS[id]) {
      const state = game.parseState(position.moves);
      const search = new Search(game, new RolloutEvaluator(game, 1), { rule: 'uct', solver: false, reuseTree: false });
      const arbor = await asyncRate(async () => (await search.run(state, { simulations: ITERATIONS })).stats.simulations, minMs);
      const bgio = bgioRate(peer, game, position.moves, ITERATIONS, minMs);
      const row: UctBenchRow = {
        game: id,
        position: position.name,
        iterations: ITERATIONS,
        arborIterationsPerSecond: Math.round(arbor),
        bgioIterationsPerSecond: Math.round(bgio),
        ratio: Number((arbor / bgio).toFixed(1)),
      };
      uct.push(row);
      out(`uct ${id.padEnd(10)} ${position.name.padEnd(10)} ${ITERATIONS} iterations: arbor ${formatRate(arbor)}/s   boardgame.io MCTSBot ${formatRate(bgio)}/s   ratio ${row.ratio}x`);
    }
  }
  const bytesPerNode = measureBytesPerNode();
  const puct: PuctBenchRow[] = [];
  for (const id of ['tictactoe', 'connect4']) {
    const game = createGame(id);
    const state = game.newInitialState();
    const search = new Search(game, new UniformEvaluator(game), { solver: false, reuseTree: false });
    const rate = await asyncRate(async () => (await search.run(state, { simulations: 100_000 })).stats.simulations, minMs);
    puct.push({ game: id, simulationsPerSecond: Math.round(rate), bytesPerNode });
    out(`puct ${id.padEnd(10)} uniform evaluator: ${formatRate(rate)} simulations/s (one thread), ${bytesPerNode} bytes/node measured (${BYTES_PER_NODE} by layout)`);
  }
  return { uct, puct };
}
