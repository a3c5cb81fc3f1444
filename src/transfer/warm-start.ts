import { ArborError, type Game } from '../core/index.js';
import { PolicyValueModel, moduleWeights, writeModuleWeights, type ModelConfig } from '../networks/index.js';
import { assembleNetwork, describeAssembly, resolveModuleNames, type AssembledNetwork } from './assemble.js';
import { growNetwork } from './grow.js';
import type { ActionDecision, PlaneDecision } from './role-map.js';

/**
 * A training run's first network, warm-started from another network: assembled for the run's game
 * (assemble.ts), optionally grown (grow.ts), with named modules re-initialised (Soemers et al.'s
 * fine-tuning variant re-initialises the heads and keeps the trunk). What `arbor train
 * --init-from` does before the first iteration; the record it returns is what the run stores.
 */

export interface WarmStartSpec {
  /** A network reference: a checkpoint folder, a run folder, or `lib:NAME`. */
  readonly from: string;
  /** Modules (ids or kinds, resolveModuleNames) given fresh weights after assembling and growing. */
  readonly reinit?: readonly string[];
  /** Net2Net growth after assembling. */
  readonly grow?: { readonly filters?: number; readonly blocks?: number };
}

/** What a warm start did, as stored in a run folder (`init.json`). */
export interface WarmStartRecord {
  readonly from: string;
  readonly origin: string;
  readonly game: string;
  readonly planes: readonly PlaneDecision[];
  readonly actions: readonly ActionDecision[];
  readonly modules: AssembledNetwork['modules'];
  readonly grow: readonly string[];
  readonly reinit: readonly string[];
  /** The config of the network the run starts with. */
  readonly model: ModelConfig;
  /** Every decision as a line a person reads. */
  readonly lines: readonly string[];
}

/**
 * Builds the warm-started model for `game`. `config` goes to assembleNetwork (the run's weight
 * seed, whether it has an ownership head); the growth and re-initialisation draw from that seed.
 */
export async function warmStartNetwork(game: Game, spec: WarmStartSpec, config: Partial<ModelConfig> = {}): Promise<{ model: PolicyValueModel; record: WarmStartRecord }> {
  const assembled = await assembleNetwork(game, spec.from, { config });
  let model = assembled.model;
  try {
    const lines = describeAssembly(assembled);
    let grown: readonly string[] = [];
    if (spec.grow && (spec.grow.filters !== undefined || spec.grow.blocks !== undefined)) {
      const network = growNetwork({ architecture: model.architecture, weights: model.readWeightsSync() }, { ...spec.grow, seed: model.config.seed });
      const bigger = new PolicyValueModel(network.architecture, network.weights);
      model.dispose();
      model = bigger;
      grown = network.changes;
      lines.push(...grown.map((c) => `  grow ${c}`));
    }
    const reinit = resolveModuleNames(model.description, spec.reinit ?? [], '--reinit');
    if (reinit.length > 0) {
      // A fresh network of the same architecture and seed holds the values a fresh module starts from.
      const fresh = new PolicyValueModel(model.architecture);
      try {
        for (const id of reinit) writeModuleWeights(model, moduleWeights(fresh, id));
      } finally {
        fresh.dispose();
      }
      lines.push(`  reinit ${reinit.join(', ')}: fresh weights`);
    }
    const record: WarmStartRecord = {
      from: spec.from,
      origin: assembled.origin,
      game: game.spec,
      planes: assembled.planes,
      actions: assembled.actions,
      modules: assembled.modules,
      grow: grown,
      reinit,
      model: model.config,
      lines,
    };
    return { model, record };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Parses `--grow filters=F,blocks=B` (either or both). */
export function parseGrowSpec(text: string): { filters?: number; blocks?: number } {
  const out: { filters?: number; blocks?: number } = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value, ...more] = part.split('=');
    const n = Number(value);
    if ((key !== 'filters' && key !== 'blocks') || more.length > 0 || value === undefined || !Number.isInteger(n) || n < 1) {
      throw new ArborError(`--grow ${text}: "${part}" is not filters=N or blocks=N with N a positive integer (e.g. --grow filters=64,blocks=6)`);
    }
    if (out[key] !== undefined) throw new ArborError(`--grow ${text}: ${key} is given twice`);
    out[key] = n;
  }
  if (out.filters === undefined && out.blocks === undefined) throw new ArborError(`--grow ${text}: give filters=N and/or blocks=N (e.g. --grow filters=64,blocks=6)`);
  return out;
}
