import { ArborError, defineAgent, defineParams, deriveSeed, loadModel, modelLoaders, type Evaluator, type Game, type ParamValues, type State, type Agent, type MoveClock } from '../core/index.js';
import { RolloutEvaluator, Search, UniformEvaluator, type SearchOptionsInput, type SearchResult } from '../mcts/index.js';

/** An agent that plays the best move of a Search, keeping its tree between moves (observe -> advance). */
export interface SearchAgent extends Agent {
  readonly search: Search;
  /** The result behind the last move (principal variation, value, stats), for logs and UIs. */
  lastResult: SearchResult | null;
  /**
   * The evaluator's own value of a position for the player to move (the network's value head
   * for `model=` agents), without search: what `arbor eval` grades as value accuracy.
   */
  value(state: State): Promise<number>;
}

/**
 * Wraps a search as an agent. Budget: `simulations` per move, capped by `timeMs` milliseconds when
 * > 0 and by the arena's per-move clock when one is given.
 */
export function searchAgent(spec: string, search: Search, simulations: number, timeMs: number): SearchAgent {
  let policyBuffer: Float32Array | null = null;
  const valueBuffer = new Float32Array(1);
  const agent: SearchAgent = {
    name: spec,
    search,
    lastResult: null,
    selectAction: async (state: State, clock?: MoveClock) => {
      if (state.isTerminal()) throw new ArborError(`agent ${spec} was asked to move in a finished game; only ask for moves while the game is running`);
      let cap = timeMs > 0 ? timeMs : undefined;
      if (clock?.moveTimeMs !== undefined && clock.moveTimeMs > 0) cap = Math.min(cap ?? Infinity, clock.moveTimeMs);
      const result = await search.run(state, { simulations, timeMs: cap });
      agent.lastResult = result;
      return result.bestAction;
    },
    observe: (state: State, action: number) => {
      // `state` may be given before or after the move: keep the subtree only if one of them is our root.
      const hash = state.hash();
      if (search.rootHash() === hash) {
        search.advance(action);
        return;
      }
      search.advance(action);
      if (search.rootHash() !== hash) search.reset();
    },
    value: async (state: State) => {
      policyBuffer ??= new Float32Array(state.game.numActions);
      await search.evaluator.evaluate([state], 1, policyBuffer, valueBuffer);
      return valueBuffer[0];
    },
    reset: () => search.reset(),
    close: async () => {
      await search.evaluator.close?.();
    },
  };
  return agent;
}

/** The evaluator named by `model` / `eval` options. */
export async function evaluatorFor(params: Pick<ParamValues<typeof common>, 'model' | 'sym' | 'eval'>, game: Game, seed: string): Promise<Evaluator> {
  if (params.model !== '') {
    if (params.eval !== 'rollout' && params.eval !== 'uniform') throw new ArborError(`give either model=${params.model} or eval=${params.eval}, not both: both name the evaluator`);
    return loadModel(params.model, game, { threads: 1, symmetric: params.sym });
  }
  if (params.sym) throw new ArborError('sym=true averages a network over the board symmetries; give the network with model=PATH, or drop sym');
  if (params.eval === 'uniform') return new UniformEvaluator(game);
  if (params.eval === 'rollout') return new RolloutEvaluator(game, deriveSeed(seed, 'rollout'));
  // `eval=SCHEME:REF`: an evaluator from another layer's loader (src/programs registers `program:`).
  const scheme = /^([a-z][a-z0-9-]*):./i.exec(params.eval)?.[1];
  const loader = scheme !== undefined ? modelLoaders.find(scheme) : undefined;
  if (!loader) {
    const schemes = modelLoaders.names().filter((n) => n !== 'file' && n !== 'lib');
    throw new ArborError(`eval=${params.eval}: choose uniform, rollout${schemes.map((s) => ` or ${s}:REF`).join('')} (e.g. eval=program:programs/tactics-value.arb)`);
  }
  return loader.load(params.eval, game, { threads: 1 });
}

const common = defineParams({
  simulations: { type: 'int', default: 800, min: 1, max: 100_000_000, description: 'simulations per move' },
  model: { type: 'string', default: '', description: 'network checkpoint or run folder (default: no network)' },
  eval: { type: 'string', default: 'rollout', choices: ['uniform', 'rollout'], orReference: 'program:FILE', description: 'evaluator without a model: uniform priors with value 0, random rollouts, or a value program (program:FILE)' },
  leafBatch: { type: 'int', default: 1, min: 1, max: 1024, description: 'leaves per evaluator call (virtual loss); 1 = sequential' },
  timeMs: { type: 'int', default: 0, min: 0, max: 3_600_000, description: 'time cap per move in milliseconds (0 = none)' },
  solver: { type: 'bool', default: true, description: 'MCTS-solver: play proven wins, avoid proven losses' },
  sym: { type: 'bool', default: false, description: 'with model=: average each network evaluation over the board symmetries (costs 1 + symmetries evaluations)' },
});

/**
 * Option names of earlier versions: every setting now has the name it has in the search options
 * and the training config, so one name is learnt once.
 */
export const commonRenames: Readonly<Record<string, string>> = { sims: 'simulations', batch: 'leafBatch', ms: 'timeMs' };

export const mctsAgent = defineAgent({
  name: 'mcts',
  description: 'PUCT tree search (AlphaZero) with a network (model=PATH) or a uniform/rollout evaluator',
  params: {
    ...common,
    cPuct: { type: 'float', default: 1.25, min: 0, max: 100, description: 'PUCT exploration constant' },
    fpu: { type: 'float', default: 0.25, min: -2, max: 2, description: 'first-play urgency: reduction from the parent Q for unvisited moves' },
    policyTemperature: { type: 'float', default: 1, min: 0.05, max: 20, description: 'policy softmax temperature: priors ∝ P^(1/T) at every node (lc0 uses 1.36); 1 = the network\'s policy' },
  },
  renamedParams: { ...commonRenames, c: 'cPuct', ptemp: 'policyTemperature' },
  create: async (params, { game, seed }, spec) => {
    const options: SearchOptionsInput = {
      rule: 'puct',
      cPuct: params.cPuct,
      fpu: { mode: 'reduction', value: params.fpu },
      policyTemperature: params.policyTemperature,
      leafBatch: params.leafBatch,
      solver: params.solver,
      seed: deriveSeed(seed, 'search'),
    };
    const evaluator = await evaluatorFor(params, game, seed);
    return searchAgent(spec, new Search(game, evaluator, options), params.simulations, params.timeMs);
  },
});

export const gumbelAgent = defineAgent({
  name: 'gumbel',
  description: 'Gumbel MuZero search (Gumbel-top-k + Sequential Halving at the root), good with few simulations',
  params: {
    ...common,
    simulations: { type: 'int', default: 64, min: 1, max: 100_000_000, description: 'simulations per move' },
    consideredActions: { type: 'int', default: 16, min: 1, max: 4096, description: 'actions considered at the root (the k of Gumbel-top-k)' },
    cVisit: { type: 'float', default: 50, min: 0, max: 1e6, description: 'c_visit of sigma(q)' },
    cScale: { type: 'float', default: 1, min: 0, max: 1e3, description: 'c_scale of sigma(q)' },
    scale: { type: 'float', default: 1, min: 0, max: 10, description: 'Gumbel noise scale (0: top-k by prior, deterministic)' },
  },
  renamedParams: { ...commonRenames, k: 'consideredActions', cvisit: 'cVisit', cscale: 'cScale' },
  create: async (params, { game, seed }, spec) => {
    const options: SearchOptionsInput = {
      root: 'gumbel',
      gumbel: {
        consideredActions: params.consideredActions,
        cVisit: params.cVisit,
        cScale: params.cScale,
        scale: params.scale,
      },
      leafBatch: params.leafBatch,
      solver: params.solver,
      seed: deriveSeed(seed, 'search'),
    };
    const evaluator = await evaluatorFor(params, game, seed);
    return searchAgent(spec, new Search(game, evaluator, options), params.simulations, params.timeMs);
  },
});
