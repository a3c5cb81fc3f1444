import type { Command } from 'commander';
import { register as registerActor } from './actor.js';
import { register as registerAgents } from './agents.js';
import { register as registerArena } from './arena.js';
import { register as registerBench } from './bench.js';
import { register as registerBot } from './bot.js';
import { register as registerDemo } from './demo.js';
import { register as registerEval } from './eval.js';
import { register as registerExport } from './export.js';
import { register as registerGames } from './games.js';
import { register as registerLibrary } from './library.js';
import { register as registerMove } from './move.js';
import { register as registerPerft } from './perft.js';
import { register as registerPlay } from './play.js';
import { register as registerServe } from './serve.js';
import { register as registerReplay } from './replay.js';
import { register as registerReport } from './report.js';
import { register as registerSolve } from './solve.js';
import { register as registerSynth } from './synth.js';
import { register as registerTrain } from './train.js';
import { register as registerTransfer } from './transfer.js';

/**
 * One line per sub-command; each lives in its own file and only wires modules together. The
 * groups order `arbor --help` by what a newcomer does first.
 */
export function registerCommands(program: Command): void {
  program.commandsGroup('Start here:');
  registerDemo(program);
  registerPlay(program);
  registerGames(program);
  registerAgents(program);
  program.commandsGroup('Ask an agent or the solver:');
  registerMove(program);
  registerSolve(program);
  registerEval(program);
  registerPerft(program);
  program.commandsGroup('Train and ship:');
  registerTrain(program);
  registerActor(program);
  registerReport(program);
  registerExport(program);
  registerLibrary(program);
  registerSynth(program);
  program.commandsGroup('Compare agents:');
  registerArena(program);
  registerReplay(program);
  program.commandsGroup('Play over boardgame.io:');
  registerServe(program);
  registerBot(program);
  program.commandsGroup('Measure:');
  registerBench(program);
  registerTransfer(program);
}
