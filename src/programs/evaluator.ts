import { ArborError, createRng, type Evaluator, type Game, type ModelLoader, type State } from '../core/index.js';
import { writeUniformPolicy } from '../mcts/index.js';
import { compileProgram, type CompiledProgram } from './compile.js';
import { ProgramRuntimeError } from './errors.js';
import { loadProgram } from './load.js';
import { NO_REFERENCES, prepareReferences, type PreparedReferences } from './prepare.js';
import type { ProgramBudget } from './types.js';

/**
 * A value program as the search's leaf evaluator (the EvoMCTS pattern: Benbassat & Sipper, IEEE
 * TCIAIG 2014, evolved evaluators inside MCTS): uniform priors over the legal moves and the
 * program's value of the position for the player to move. Synchronous (`evaluateNow`), so the
 * search calls it without a promise per leaf; nothing is allocated per leaf.
 */
export class ProgramEvaluator implements Evaluator {
  readonly name: string;
  private readonly legal: Int32Array;
  private readonly numActions: number;
  private readonly limits: ProgramBudget;
  private readonly perCall: { readonly nodes: number; readonly simulations: number };

  constructor(
    readonly compiled: CompiledProgram,
    name: string,
    budget: { readonly nodes: number; readonly simulations: number } = DEFAULT_EVALUATION_BUDGET,
    /** The networks the program's primitives loaded, freed by `close`. */
    private readonly references: PreparedReferences = NO_REFERENCES,
  ) {
    if (compiled.program.yields !== 'value') throw new ArborError(`${name} is a policy program; a search evaluator needs a value program: (program value ...)`);
    this.name = name;
    this.numActions = compiled.game.numActions;
    this.legal = new Int32Array(this.numActions);
    this.perCall = budget;
    this.limits = { nodes: budget.nodes, simulations: budget.simulations, deadline: Infinity };
  }

  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    const limits = this.limits;
    for (let i = 0; i < count; i++) {
      const state = states[i];
      writeUniformPolicy(state, this.legal, policy, i * this.numActions, this.numActions);
      limits.nodes = this.perCall.nodes;
      limits.simulations = this.perCall.simulations;
      const v = this.compiled.run(state, limits) as number;
      if (Number.isNaN(v)) throw new ProgramRuntimeError(`${this.name}: the program's value is not a number`);
      value[i] = v;
    }
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }

  async close(): Promise<void> {
    this.references.close();
  }
}

/** What one leaf evaluation may spend: small, since the search calls it thousands of times per move. */
export const DEFAULT_EVALUATION_BUDGET = { nodes: 10_000, simulations: 1_000 } as const;

/** `program:FILE` / `program:lib:NAME` as a model reference: `mcts:eval=program:FILE` (or `model=program:FILE`). */
export const programModelLoader: ModelLoader = {
  scheme: 'program',
  description: 'a value program as the evaluator: program:FILE.arb or program:lib:NAME',
  load: async (ref: string, game: Game) => {
    const path = ref.startsWith('program:') ? ref.slice('program:'.length) : ref;
    const { program, source, primitives } = await loadProgram(path);
    const references = await prepareReferences(program, game, { source });
    try {
      const compiled = compileProgram(program, game, { source, primitives, rng: createRng(`program-evaluator:${source}`), references });
      return new ProgramEvaluator(compiled, `program:${path}`, DEFAULT_EVALUATION_BUDGET, references);
    } catch (e) {
      references.close();
      throw e;
    }
  },
};
