import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArborError, Registry, modelScheme } from '../core/index.js';
import { readCheckpointWeights, type NetworkWeights } from '../networks/index.js';

/**
 * Where a network to start from comes from: a reference (`runs/c4`, `runs/c4/checkpoints/it-0004`,
 * `lib:NAME`) resolved to its architecture and weights. Paths (a checkpoint folder or a run folder,
 * whose latest checkpoint is used) are read here; other schemes register a resolver (the library
 * registers `lib`), so `arbor train --init-from` takes every kind of reference without knowing them.
 */

export interface ResolvedNetwork extends NetworkWeights {
  /** The reference as given. */
  readonly ref: string;
  /** The game spec the network was trained on, when known. */
  readonly game?: string;
  /** A one-line description of where the weights came from (a checkpoint folder, a library entry). */
  readonly origin: string;
}

export interface NetworkSourceResolver {
  /** The reference scheme it reads (`lib` for `lib:NAME`). */
  readonly scheme: string;
  readonly description: string;
  read(ref: string): Promise<ResolvedNetwork>;
}

export const networkSources = new Registry<NetworkSourceResolver>('network source');

export function registerNetworkSource(resolver: NetworkSourceResolver): void {
  if (resolver.scheme === 'file') throw new ArborError('network source scheme "file" is the built-in reader of checkpoint and run folders; register another scheme');
  networkSources.register(resolver.scheme, resolver);
}

/** A reference as a run records it: a path made absolute (so the run resumes from any folder), another scheme as given. */
export function canonicalNetworkRef(ref: string): string {
  return modelScheme(ref) === 'file' ? resolve(ref) : ref;
}

/** Reads the network a reference names: a path through readCheckpointWeights, another scheme through its resolver. */
export async function readNetwork(ref: string): Promise<ResolvedNetwork> {
  const scheme = modelScheme(ref);
  if (scheme === 'file') {
    const { dir, meta, architecture, weights } = await readCheckpointWeights(ref);
    // The checkpoint's own folder, not a run's `latest` link, which moves on as that run trains.
    return { ref, architecture, weights, game: meta.game.spec, origin: `checkpoint ${realpathSync(dir)} (${meta.game.spec}, step ${meta.step})` };
  }
  const resolver = networkSources.find(scheme);
  if (!resolver) {
    const known = ['a checkpoint or run folder path', ...networkSources.names().map((n) => `${n}:`)];
    throw new ArborError(`network reference ${ref}: nothing reads "${scheme}:" references here; give ${known.join(', or ')}`);
  }
  return resolver.read(ref);
}
