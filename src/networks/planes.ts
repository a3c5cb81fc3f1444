import { ArborError } from '../core/index.js';

/**
 * Input planes are named by role (`own:stone`, `opp:pawn`, `cell:exists`, ...), not by index, so
 * what one network learned maps onto another game plane by plane, by name (Soemers et al., TMLR
 * 2023, "Towards a General Transformation Between Game States and Neural Network Inputs"). This
 * is the one place that mapping is computed: every "does this network read this game's planes?"
 * check and the stem's plane-by-plane loading use it.
 */
export interface PlaneMapping {
  /** For each target plane, the index of the source plane of the same name, or -1 if the source has none. */
  readonly sourceIndex: readonly number[];
  /** Target planes no source plane feeds (in target order). */
  readonly missing: readonly string[];
  /** Source planes the target does not read (in source order). */
  readonly extra: readonly string[];
  /** Same planes in the same order: a network for one runs unchanged on the other. */
  readonly identical: boolean;
}

/**
 * Maps the input planes of a source network (`from`) onto those of a target game or network
 * (`to`) by name. A list naming a plane twice is an ArborError (it would make the mapping ambiguous).
 */
export function mapPlanes(from: readonly string[], to: readonly string[]): PlaneMapping {
  const index = new Map<string, number>();
  from.forEach((name, i) => {
    if (index.has(name)) throw new ArborError(`input plane "${name}" is named twice in (${from.join(', ')}); plane names must be unique`);
    index.set(name, i);
  });
  const seen = new Set<string>();
  const sourceIndex: number[] = [];
  for (const name of to) {
    if (seen.has(name)) throw new ArborError(`input plane "${name}" is named twice in (${to.join(', ')}); plane names must be unique`);
    seen.add(name);
    sourceIndex.push(index.get(name) ?? -1);
  }
  return planeMappingOf(sourceIndex, from, to);
}

/** The mapping given by source indices (one per target plane, -1 for none), with its missing and extra planes. */
export function planeMappingOf(sourceIndex: readonly number[], from: readonly string[], to: readonly string[]): PlaneMapping {
  const used = new Set(sourceIndex.filter((s) => s >= 0));
  return {
    sourceIndex,
    missing: to.filter((_, t) => sourceIndex[t] < 0),
    extra: from.filter((_, s) => !used.has(s)),
    identical: from.length === to.length && sourceIndex.every((s, t) => s === t),
  };
}

/** How a network's planes differ from a game's, in words, or undefined when they are identical. */
function describePlaneMismatch(mapping: PlaneMapping, network: string, game: string): string | undefined {
  if (mapping.identical) return undefined;
  const parts: string[] = [];
  if (mapping.missing.length > 0) parts.push(`${game} encodes ${mapping.missing.join(', ')}, which ${network} does not read`);
  if (mapping.extra.length > 0) parts.push(`${network} reads ${mapping.extra.join(', ')}, which ${game} does not encode`);
  if (parts.length === 0) parts.push(`${network} reads the same planes in another order`);
  return parts.join('; ');
}

/**
 * The one check that a network (its input planes `networkPlanes`) runs on a game's encoding
 * (`gamePlanes`) as it is: one ArborError naming the missing and extra planes, then `fix`.
 */
export function requireSamePlanes(networkPlanes: readonly string[], gamePlanes: readonly string[], network: string, game: string, fix: string): void {
  const mismatch = describePlaneMismatch(mapPlanes(networkPlanes, gamePlanes), network, game);
  if (mismatch !== undefined) throw new ArborError(`${network} does not match the input planes of ${game}: ${mismatch}; ${fix}`);
}

/** The fix named when a whole network is used on a game whose planes differ. */
export function planeFix(game: string): string {
  return `retrain for ${game}, or build a ${game} model and carry the stem and trunk over with loadModules (networks), which maps planes by name`;
}

/** The input planes of a network that reads every one of `planeLists`: the first list's order, then each name a later list adds. */
export function unionPlanes(planeLists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const list of planeLists) for (const name of list) if (!out.includes(name)) out.push(name);
  return out;
}
