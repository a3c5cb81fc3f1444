import type { Command } from 'commander';
import { register as registerArena } from './arena.js';
import { register as registerBench } from './bench.js';
import { register as registerBot } from './bot.js';
import { register as registerDemo } from './demo.js';
import { register as registerEval } from './eval.js';
import { register as registerExport } from './export.js';
import { register as registerGames } from './games.js';
import { register as registerMove } from './move.js';
import { register as registerPerft } from './perft.js';
import { register as registerPlay } from './play.js';
import { register as registerServe } from './serve.js';
import { register as registerReplay } from './replay.js';
import { register as registerReport } from './report.js';
import { register as registerSolve } from './solve.js';
import { register as registerTrain } from './train.js';

/** One line per sub-command; each lives in its own file and only wires modules together. */
export function registerCommands(program: Command): void {
  registerGames(program);
  registerPerft(program);
  registerPlay(program);
  registerDemo(program);
  registerBench(program);
  registerExport(program);
  registerBot(program);
  registerServe(program);
  registerArena(program);
  registerMove(program);
  registerReplay(program);
  registerTrain(program);
  registerReport(program);
  registerSolve(program);
  registerEval(program);
}
