/**
 * Makes the labelled position sets shipped in data/positions/ with this project's own solvers.
 *
 *   npx tsc -p scripts/tsconfig.json && node dist/scripts/make-positions.js [connect4|tictactoe] [--per-stage N] [--node-limit N] [--seed S]
 *       [--stages opening,middle,end] [--min-stones N] [--out FILE] [--resume]
 *   node dist/scripts/make-positions.js merge PART.jsonl ...   (joins parts into the shipped set)
 *
 * The shipped set: the middle and end positions as first made (4M-node limit; the skipped
 * positions of that run were early ones),
 *   ... connect4 --stages middle,end --per-stage 340 --node-limit 4000000 --seed arbor-positions-3 --out /tmp/c4-b.jsonl --resume
 * and the opening positions (6-14 stones) solved without any limit, so none was skipped (an
 * earlier opening set, made with the 4M-node limit, had dropped 250+ hard ones and so leaned
 * towards easy positions), again one process per core, stopped when time ran out:
 *   ... connect4 --stages opening --per-stage 170 --node-limit 0 --min-stones 6 --seed arbor-positions-open-a --out /tmp/open-a.jsonl --resume
 *   ... connect4 --stages opening --per-stage 170 --node-limit 0 --min-stones 6 --seed arbor-positions-open-b --out /tmp/open-b.jsonl --resume
 *   ... merge /tmp/c4-b.jsonl /tmp/open-a.jsonl /tmp/open-b.jsonl
 * Positions with fewer than 6 stones are not sampled: scoring all their moves means solving
 * 1-6-stone positions, minutes to hours each without an opening book.
 *
 * - tictactoe: every reachable position that is not over, each with every legal move's score.
 * - connect4 (6x7): positions sampled from games between agents of mixed strength (random and
 *   greedy, in all four pairings), one per game stage (opening <= 14 stones, middle 15-28,
 *   end > 28) per game, until each stage has N positions; every legal move is scored exactly.
 *   A position whose analysis passes the node limit is skipped and counted (a bias towards
 *   easier positions that the summary line reports).
 * The set is written atomically every 10 positions, so an interrupted run keeps its work.
 */
import { createAgent, createRng, deriveSeed, type Game, type State, writeFileAtomicSync } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import type { Connect4Game, Connect4State } from '../src/envs/connect4/index.js';
import { createConnect4Solver, createSolver, formatPositions, labelPosition, readPositionsFile, shippedPositionsPath, stageOf, STAGES, type LabelledPosition, type Stage } from '../src/solvers/index.js';
import { SearchAborted } from '../src/solvers/connect4/index.js';
import { existsSync } from 'node:fs';


function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function makeTictactoe(): void {
  const game = createGame('tictactoe');
  const solver = createSolver(game);
  const seen = new Set<number>();
  const out: LabelledPosition[] = [];
  const actions = new Int32Array(game.numActions);
  const walk = (s: State) => {
    if (s.isTerminal() || seen.has(s.hash())) return;
    seen.add(s.hash());
    out.push(labelPosition(s, solver.analyze(s)));
    const n = s.legalActions(actions);
    const list = Array.from(actions.subarray(0, n));
    for (const a of list) {
      const c = s.clone();
      c.apply(a);
      walk(c);
    }
  };
  walk(game.newInitialState());
  out.sort((a, b) => a.stones - b.stones || (a.moves < b.moves ? -1 : 1));
  const path = shippedPositionsPath(game);
  writeFileAtomicSync(path, formatPositions(out));
  process.stderr.write(`tictactoe: ${out.length} positions -> ${path}\n`);
}

async function makeConnect4(perStage: number, nodeLimit: number, seed: string, stages: readonly Stage[], path: string, resume: boolean, minStones: number): Promise<void> {
  const game = createGame('connect4') as Connect4Game;
  const solver = createConnect4Solver(game, { tableBits: 24 });
  const rng = createRng(seed);
  const pairings = [['random', 'random'], ['random', 'greedy'], ['greedy', 'random'], ['greedy', 'greedy']];
  const byStage = new Map<Stage, LabelledPosition[]>(STAGES.map((s) => [s, []]));
  const seen = new Set<number>();
  let skipped = 0;
  let games = 0;
  if (resume && existsSync(path)) {
    for (const p of readPositionsFile(path, game)) {
      byStage.get(p.stage)!.push(p);
      seen.add(game.parseState(p.moves).hash());
    }
  }
  const save = () => {
    const all = STAGES.flatMap((s) => byStage.get(s)!);
    writeFileAtomicSync(path, formatPositions(all));
  };
  const started = Date.now();
  let lastSave = 0;
  while (stages.some((s) => byStage.get(s)!.length < perStage)) {
    const pair = pairings[games % pairings.length];
    const gameSeed = deriveSeed(seed, 'game', games);
    games++;
    const agents = [await createAgent(pair[0], { game, seed: deriveSeed(gameSeed, 0) }), await createAgent(pair[1], { game, seed: deriveSeed(gameSeed, 1) })];
    const state = game.newInitialState();
    const history: number[] = [];
    while (!state.isTerminal()) {
      const a = await agents[state.currentPlayer()].selectAction(state);
      state.apply(a);
      history.push(a);
    }
    // One position per stage of this game (the states before each move, the game not yet over).
    for (const stage of stages) {
      if (byStage.get(stage)!.length >= perStage) continue;
      const plies = history.map((_, i) => i).filter((i) => stageOf(game, i) === stage && i >= minStones);
      if (plies.length === 0) continue;
      const ply = plies[rng.int(plies.length)];
      const pos = game.parseState(game.formatMoves(history.slice(0, ply))) as Connect4State;
      if (seen.has(pos.hash())) continue;
      seen.add(pos.hash());
      solver.nodes = 0;
      solver.nodeLimit = nodeLimit > 0 ? nodeLimit : Number.POSITIVE_INFINITY;
      try {
        byStage.get(stage)!.push(labelPosition(pos, solver.analyze(pos)));
      } catch (e) {
        if (!(e instanceof SearchAborted)) throw e;
        skipped++;
      }
    }
    const total = STAGES.reduce((n, s) => n + byStage.get(s)!.length, 0);
    if (total - lastSave >= 10) {
      lastSave = total;
      save();
      process.stderr.write(`connect4: ${STAGES.map((s) => `${s} ${byStage.get(s)!.length}`).join(', ')}; skipped ${skipped}; ${games} games; ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  save();
  process.stderr.write(`connect4: done, ${STAGES.map((s) => `${s} ${byStage.get(s)!.length}`).join(', ')} positions from ${games} games; ${skipped} skipped over ${nodeLimit} nodes; ${((Date.now() - started) / 1000).toFixed(0)} s -> ${path}\n`);
}

/** Joins part files (e.g. made by two processes, one per core) into the shipped set. */
function merge(files: string[]): void {
  const game = createGame('connect4');
  const seen = new Set<number>();
  const all: LabelledPosition[] = [];
  for (const f of files) {
    for (const p of readPositionsFile(f, game)) {
      const h = game.parseState(p.moves).hash();
      if (seen.has(h)) continue;
      seen.add(h);
      all.push(p);
    }
  }
  all.sort((a, b) => a.stones - b.stones || (a.moves < b.moves ? -1 : 1));
  writeFileAtomicSync(shippedPositionsPath(game), formatPositions(all));
  process.stderr.write(`connect4: merged ${all.length} positions -> ${shippedPositionsPath(game)}\n`);
}

const which = process.argv[2] ?? 'all';
if (which === 'merge') merge(process.argv.slice(3));
if (which === 'tictactoe' || which === 'all') makeTictactoe();
if (which === 'connect4' || which === 'all') {
  const game = createGame('connect4');
  const stages = option('--stages', STAGES.join(',')).split(',') as Stage[];
  await makeConnect4(Number(option('--per-stage', '400')), Number(option('--node-limit', '20000000')), option('--seed', 'arbor-positions-1'), stages,
    option('--out', shippedPositionsPath(game)), process.argv.includes('--resume'), Number(option('--min-stones', '0')));
}
export type { Game };
