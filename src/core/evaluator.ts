import { ArborError } from './errors.js';
import type { Game, State } from './game.js';
import { Registry } from './registry.js';

/**
 * What the search asks of a network (or of a stand-in): a prior over actions and a value, for a
 * batch of states at once. Network evaluators (src/networks) implement this same interface.
 */
export interface Evaluator {
  readonly name: string;
  /** Evaluates states[0..count): writes policy[i*numActions + a] (probabilities over the legal actions of
   *  states[i], exactly 0 on illegal actions) and value[i] (expected return for the player to move in states[i],
   *  in [-1,1]). Output buffers are owned by the caller (no allocation per call). */
  evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void>;
  /**
   * Optional synchronous form with the same contract, offered by evaluators that need no I/O
   * (uniform, rollouts). The search calls it when present, which saves one promise per leaf.
   */
  evaluateNow?(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void;
  /** Positions answered from a cache so far (CachedEvaluator); the search reports the increase per run. */
  readonly cacheHits?: number;
  close?(): Promise<void>;
}

/** What a model loader is asked for besides the reference and the game. */
export interface ModelLoadOptions {
  /** Inference threads (default 1: self-play and arenas run one search per core). */
  readonly threads?: number;
  /** Average each evaluation over the game's symmetries. */
  readonly symmetric?: boolean;
}

/**
 * Turns a model reference (a checkpoint folder, a run folder, an .onnx file; later `lib:NAME`)
 * into an Evaluator. The networks layer registers the default loader under `file`; other layers
 * register their own schemes (`lib` for library entries), so agents load models without
 * importing the layers that know how.
 */
export interface ModelLoader {
  readonly scheme: string;
  readonly description: string;
  load(ref: string, game: Game, options: ModelLoadOptions): Promise<Evaluator>;
}

export const modelLoaders = new Registry<ModelLoader>('model loader');

/** `origin`: the registering module's `import.meta.url`, so worker threads can import it too. */
export function registerModelLoader(loader: ModelLoader, origin?: string): void {
  modelLoaders.register(loader.scheme, loader, origin);
}

/** The scheme of a model reference: `lib:NAME` -> `lib`; a path -> `file`. */
export function modelScheme(ref: string): string {
  const m = /^([a-z][a-z0-9-]+):(?![\\/])/i.exec(ref);
  return m ? m[1] : 'file';
}

/** Loads `ref` through the loader registered for its scheme. */
export async function loadModel(ref: string, game: Game, options: ModelLoadOptions = {}): Promise<Evaluator> {
  const scheme = modelScheme(ref);
  const loader = modelLoaders.find(scheme);
  if (!loader) {
    if (scheme === 'file') {
      throw new ArborError(`model=${ref} needs the networks layer, which is not loaded; import 'arbor/networks' first (the arbor command does this)`);
    }
    throw new ArborError(`model=${ref}: no loader for "${scheme}:" references; known: ${modelLoaders.names().map((n) => (n === 'file' ? 'a path' : `${n}:`)).join(', ') || '(none)'}`);
  }
  return loader.load(ref, game, options);
}
