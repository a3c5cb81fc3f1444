import { ArborError, type Game } from '../core/index.js';
import { architectureFor, describeNetwork, type Architecture, type ModelConfig } from './architecture.js';
import type { NetworkWeights } from './checkpoint.js';
import { gatherAlong } from './modules.js';
import { unionPlanes } from './planes.js';
import type { TrainingBatch, UpdateRestriction } from './train.js';

/**
 * One network for several games: its input planes are the union of the games' role-named planes
 * and its policy heads the union of their action kinds, so the stem, trunk and value head are one
 * set of weights every game trains, and each game trains only the stem weights of the planes it
 * encodes and the heads of the action kinds it has. This is Soemers et al.'s observation (TMLR
 * 2023) that role-named channels let one fully convolutional net read several games, taken to
 * training: AlphaZero-style self-play over several games at once, each batch of one game.
 *
 * A game's view of the union net is exact: its positions are the union's positions with zero in the
 * planes it lacks (which then add nothing to the stem's output), and its logits are the union's
 * logits of its own action kinds. `gameViewWeights` cuts that view out as a network of its own
 * (what actors, arenas and `mcts:model=` run); `GameView.expand` puts a game's training batch in
 * the union layout, with a restriction that keeps every other game's weights as they are.
 */

/**
 * The union architecture of `games`: input planes in the first game's order, then each plane a
 * later game adds; action planes and global actions likewise. A kind named by two games must have
 * the same extent in both. A value head that reads `cells` fits one board and is refused.
 */
export function unionArchitecture(games: readonly Game[], config: ModelConfig): Architecture {
  if (games.length === 0) throw new ArborError('a union network needs at least one game');
  if (config.valueInput === 'cells') {
    throw new ArborError('model.valueInput "cells" reads one board size of one game, so it cannot serve several games; use valueInput "pool" (the default) for a multi-game run');
  }
  const planes = unionPlanes(games.map((g) => g.encoding.planes));
  const actionPlanes: { name: string; extent: 'cell' | 'column'; game: string }[] = [];
  const globals: string[] = [];
  for (const game of games) {
    for (const p of game.actionLayout.planes) {
      const known = actionPlanes.find((a) => a.name === p.name);
      if (!known) actionPlanes.push({ name: p.name, extent: p.extent, game: game.spec });
      else if (known.extent !== p.extent) {
        throw new ArborError(`action kind ${p.name} is a ${known.extent} plane in ${known.game} and a ${p.extent} plane in ${game.spec}; one network needs one extent per action kind, so train these games apart`);
      }
    }
    for (const g of game.actionLayout.globals) {
      if (actionPlanes.some((a) => a.name === g)) throw new ArborError(`action kind ${g} is an action plane in one game and a global action in ${game.spec}; train these games apart`);
      if (!globals.includes(g)) globals.push(g);
    }
  }
  const { valueCells: _cells, ...rest } = config;
  return {
    format: 'arbor-net',
    version: 1,
    config: { ...rest },
    inputPlanes: planes,
    actionPlanes: actionPlanes.map(({ name, extent }) => ({ name, extent })),
    globalActions: globals,
  };
}

/** Why `game` cannot be read off the union net `arch` (a plane or action kind it lacks), or undefined when it can. */
export function viewProblem(arch: Pick<Architecture, 'inputPlanes' | 'actionPlanes' | 'globalActions'>, game: Game): string | undefined {
  const missingPlanes = game.encoding.planes.filter((p) => !arch.inputPlanes.includes(p));
  if (missingPlanes.length > 0) return `${game.spec} encodes ${missingPlanes.join(', ')}, which the network does not read`;
  for (const p of game.actionLayout.planes) {
    const known = arch.actionPlanes.find((a) => a.name === p.name);
    if (!known) return `${game.spec} has action kind ${p.name}, for which the network has no policy head`;
    if (known.extent !== p.extent) return `${game.spec}'s action kind ${p.name} is a ${p.extent} plane, the network's a ${known.extent} plane`;
  }
  const missingGlobals = game.actionLayout.globals.filter((g) => !arch.globalActions.includes(g));
  if (missingGlobals.length > 0) return `${game.spec} has global action(s) ${missingGlobals.join(', ')}, for which the network has no policy head`;
  return undefined;
}

/**
 * The network `game` sees in the union net `network`: the stem's kernel restricted to the game's
 * planes (in the game's order), the policy output restricted to its action kinds (in its order),
 * every other tensor as it is. On a game position it computes exactly what the union net computes
 * on that position with zero in the other planes, restricted to the game's actions.
 */
export function gameViewWeights(network: NetworkWeights, game: Game): NetworkWeights {
  const problem = viewProblem(network.architecture, game);
  if (problem !== undefined) throw new ArborError(`the network cannot play ${game.spec}: ${problem}; play it on one of the games it was trained on`);
  const architecture = architectureFor(game, { ...network.architecture.config });
  const unionSpecs = new Map(describeNetwork(network.architecture).params.map((p) => [p.name, p]));
  const planeIndex = game.encoding.planes.map((p) => network.architecture.inputPlanes.indexOf(p));
  const weights = new Map<string, Float32Array>();
  for (const spec of describeNetwork(architecture).params) {
    const source = network.weights.get(spec.name);
    const unionSpec = unionSpecs.get(spec.name);
    if (!source || !unionSpec) throw new ArborError(`the network's weights lack "${spec.name}"; the checkpoint is corrupt`);
    if (spec.inputPlaneAxis !== undefined) {
      weights.set(spec.name, gatherAlong(source, unionSpec.shape, spec.inputPlaneAxis, planeIndex).data);
    } else if ('axis' in spec.owner && 'axis' in unionSpec.owner) {
      const unionHeads = unionSpec.owner.modules;
      weights.set(spec.name, gatherAlong(source, unionSpec.shape, spec.owner.axis, spec.owner.modules.map((id) => unionHeads.indexOf(id))).data);
    } else {
      weights.set(spec.name, source.slice());
    }
  }
  return { architecture, weights };
}

/**
 * One game of a union net during training: where its planes and actions sit in the union layout,
 * the buffers its batches are expanded into, and the restriction that keeps the stem weights of
 * planes it lacks and the heads of kinds it lacks (and their optimiser state) as they are.
 */
export class GameView {
  /** For each union plane, the game's plane of that name, or -1 (a zero plane). */
  readonly planeSource: Int32Array;
  /** For each of the game's actions (on its board), its index among the union's actions. */
  readonly actionTarget: Int32Array;
  /** Actions of the union layout on the game's board. */
  readonly unionActions: number;
  /** Parameters a batch of this game may change, in part or not at all; null when it may change all. */
  readonly restriction: UpdateRestriction | null;
  private inputs = new Float32Array(0);
  private policies = new Float32Array(0);
  private masks = new Uint8Array(0);

  constructor(readonly union: Architecture, readonly game: Game) {
    const problem = viewProblem(union, game);
    if (problem !== undefined) throw new ArborError(`the union network does not serve ${game.spec}: ${problem}`);
    this.planeSource = Int32Array.from(union.inputPlanes, (p) => game.encoding.planes.indexOf(p));
    const { rows, cols } = game.shape;
    const extentSize = (extent: 'cell' | 'column') => (extent === 'cell' ? rows * cols : cols);
    const unionOffset = new Map<string, number>();
    let at = 0;
    for (const p of union.actionPlanes) {
      unionOffset.set(p.name, at);
      at += extentSize(p.extent);
    }
    for (const g of union.globalActions) unionOffset.set(g, at++);
    this.unionActions = at;
    const target: number[] = [];
    for (const p of game.actionLayout.planes) {
      const base = unionOffset.get(p.name)!;
      for (let i = 0; i < extentSize(p.extent); i++) target.push(base + i);
    }
    for (const g of game.actionLayout.globals) target.push(unionOffset.get(g)!);
    if (target.length !== game.numActions) throw new ArborError(`${game.spec} has ${game.numActions} actions but its action layout lists ${target.length}; the game's actionLayout is wrong`);
    this.actionTarget = Int32Array.from(target);
    this.restriction = this.buildRestriction();
  }

  private buildRestriction(): UpdateRestriction | null {
    const kinds = new Set([...this.game.actionLayout.planes.map((p) => `policy:${p.name}`), ...this.game.actionLayout.globals.map((g) => `policy:${g}`)]);
    const masks = new Map<string, Float32Array | 'none'>();
    for (const spec of describeNetwork(this.union).params) {
      if (spec.kind === 'mean' || spec.kind === 'var') continue;
      let keep: readonly boolean[] | undefined;
      let axis = 0;
      if (spec.inputPlaneAxis !== undefined) {
        axis = spec.inputPlaneAxis;
        keep = Array.from(this.planeSource, (s) => s >= 0);
      } else if ('axis' in spec.owner) {
        axis = spec.owner.axis;
        keep = spec.owner.modules.map((id) => kinds.has(id));
      }
      if (!keep || keep.every(Boolean)) continue;
      if (!keep.some(Boolean)) {
        masks.set(spec.name, 'none');
        continue;
      }
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const inner = spec.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const mask = new Float32Array(size);
      for (let i = 0; i < size; i++) mask[i] = keep[Math.floor(i / inner) % spec.shape[axis]] ? 1 : 0;
      masks.set(spec.name, mask);
    }
    return masks.size > 0 ? { game: this.game.spec, masks } : null;
  }

  /**
   * `batch` (the game's layout) in the union layout: zero planes where the game has none, and
   * policy targets and legal masks spread over the union's actions, 0 (illegal) on actions of
   * kinds the game lacks, so the masked softmax of the loss gives them no probability and no
   * gradient. The arrays are this view's buffers, reused by the next call.
   */
  expand(batch: TrainingBatch): TrainingBatch {
    const n = batch.count;
    const { rows, cols } = this.game.shape;
    const cells = rows * cols;
    const gamePlanes = this.game.encoding.planes.length;
    const unionPlanes = this.planeSource.length;
    const A = this.game.numActions;
    const U = this.unionActions;
    if (this.inputs.length < n * unionPlanes * cells) this.inputs = new Float32Array(n * unionPlanes * cells);
    if (this.policies.length < n * U) {
      this.policies = new Float32Array(n * U);
      this.masks = new Uint8Array(n * U);
    }
    const { inputs, policies, masks } = this;
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < unionPlanes; p++) {
        const out = (i * unionPlanes + p) * cells;
        const s = this.planeSource[p];
        if (s < 0) inputs.fill(0, out, out + cells);
        else inputs.set(batch.inputs.subarray((i * gamePlanes + s) * cells, (i * gamePlanes + s + 1) * cells), out);
      }
      policies.fill(0, i * U, (i + 1) * U);
      masks.fill(0, i * U, (i + 1) * U);
      for (let a = 0; a < A; a++) {
        policies[i * U + this.actionTarget[a]] = batch.policyTargets[i * A + a];
        masks[i * U + this.actionTarget[a]] = batch.masks[i * A + a];
      }
    }
    return {
      inputs: inputs.subarray(0, n * unionPlanes * cells),
      policyTargets: policies.subarray(0, n * U),
      masks: masks.subarray(0, n * U),
      valueTargets: batch.valueTargets,
      ...(batch.ownershipTargets ? { ownershipTargets: batch.ownershipTargets } : {}),
      count: n,
      shape: { rows, cols },
      ...(this.restriction ? { restriction: this.restriction } : {}),
    };
  }
}
