import { ArborError, createRng, defineAgent, deriveSeed, type Agent } from '../core/index.js';
import { compileProgram, overrunAllowance } from './compile.js';
import { forwardingRng } from './forwarding-rng.js';
import { PROGRAM_EXTENSION, loadProgram } from './load.js';
import { ProgramPlayer } from './player.js';
import { prepareReferences } from './prepare.js';
import type { ProgramBudget } from './types.js';

/**
 * `program:FILE.arb` and `program:lib:NAME`: an agent written in arbor's program language
 * (docs/programs.md). The program is read, type-checked and compiled once when the agent is
 * made, after the networks it names (`(net-value "lib:NAME" pos)`) are loaded, each once; every
 * move runs under a budget of nodes, simulations and milliseconds (the arena's per-move clock caps
 * the time too). With a time budget the anytime primitives (search, solve, rollouts) stop at the
 * deadline with their best so far and the program finishes its move; it fails only when it runs
 * past the deadline by more than `overrunAllowance` (docs/programs.md, "Time budgets"). A
 * program that fails while choosing (budget spent, illegal move, a primitive's error) throws a
 * ProgramRuntimeError, so it loses the game with the reason recorded, like any agent that throws.
 */
export const programAgent = defineAgent({
  name: 'program',
  description: `a program in arbor's agent language: program:FILE${PROGRAM_EXTENSION} or program:lib:NAME (docs/programs.md)`,
  positional: 'file',
  params: {
    file: { type: 'string', default: '', description: `the program: a ${PROGRAM_EXTENSION} file (or its .json form), or lib:NAME` },
    timeMs: { type: 'int', default: 0, min: 0, max: 3_600_000, description: 'time budget per move in milliseconds (0 = none; an arena clock caps it)' },
    nodes: { type: 'int', default: 1_000_000, min: 1, max: 1_000_000_000, description: 'node budget per move (positions made, search nodes)' },
    simulations: { type: 'int', default: 100_000, min: 0, max: 1_000_000_000, description: 'simulation budget per move (rollouts, MCTS simulations)' },
  },
  create: async (params, { game, seed }, spec) => {
    if (params.file === '') throw new ArborError(`agent program: name the program, e.g. program:programs/greedy${PROGRAM_EXTENSION} or program:lib:NAME`);
    const { program, source, primitives } = await loadProgram(params.file);
    let primitiveRng = createRng(deriveSeed(seed, 'primitives'));
    let tieRng = createRng(deriveSeed(seed, 'ties'));
    // Primitives keep the Rng they were compiled with; this one forwards to the current stream, so reseed needs no recompiling.
    const rng = forwardingRng(() => primitiveRng);
    const references = await prepareReferences(program, game, { source });
    let compiled;
    try {
      compiled = compileProgram(program, game, { source, rng, primitives, references });
    } catch (e) {
      references.close();
      throw e;
    }
    const player = new ProgramPlayer(compiled, () => tieRng);
    const budget: ProgramBudget = { nodes: 0, simulations: 0, deadline: Infinity, grace: undefined };
    const agent: Agent = {
      name: spec,
      selectAction: async (state, clock) => {
        let timeMs = params.timeMs > 0 ? params.timeMs : Infinity;
        if (clock?.moveTimeMs !== undefined && clock.moveTimeMs > 0) timeMs = Math.min(timeMs, clock.moveTimeMs);
        budget.nodes = params.nodes;
        budget.simulations = params.simulations;
        budget.deadline = timeMs === Infinity ? Infinity : performance.now() + timeMs;
        budget.grace = timeMs === Infinity ? undefined : overrunAllowance(timeMs);
        return player.chooseMove(state, budget);
      },
      close: async () => references.close(),
      reseed: (next) => {
        primitiveRng = createRng(deriveSeed(next, 'primitives'));
        tieRng = createRng(deriveSeed(next, 'ties'));
      },
    };
    return agent;
  },
});
