import { ArborError, type Game } from '../../core/index.js';
import type { PolicyValueModel } from '../../networks/index.js';
import { terminalValue } from './terminal.js';
import type { Position, PreparedPrimitive, PrimitiveFactory, ProgramContext, ProgramType } from '../types.js';

/**
 * A network's policy and value as primitives (the geometric modules of the seed: a learned
 * evaluator called from a program, as AlphaZero's search calls it; Silver et al. 2018). The
 * network comes from a checkpoint or run folder, or a library entry `lib:NAME` (read with the
 * transfer layer's `readNetwork`, which resolves both), and is named in the program text, so the
 * primitives are factories (types.ts PrimitiveFactory): the loader prepares each reference once,
 * asynchronously; calls are then synchronous.
 *
 * Synchronous inference rules out ONNX Runtime (its sessions only run asynchronously), so the
 * network runs on the active tfjs backend (wasm by default, chosen once on first use), one
 * position at a time: about 1-2 ms a position for a small net on this machine. Inputs are the
 * game's planes gathered by name into the order the network reads (a network reading a plane the
 * game does not have is refused); the policy is the softmax of the logits over the legal moves.
 * The last position's outputs are kept, so `net-value`, `net-policy` and `net-prior` on the same
 * position cost one forward pass; every call of a reference shares one loaded model.
 */

/** A loaded network answering one position at a time, synchronously. */
export class SyncNetwork {
  readonly ref: string;
  readonly game: Game;
  private readonly model: PolicyValueModel;
  private readonly tf: typeof import('@tensorflow/tfjs');
  private readonly gather: Int32Array;
  private readonly gameInput: Float32Array;
  private readonly netInput: Float32Array;
  private readonly legal: Uint8Array;
  readonly policy: Float32Array;
  value = 0;
  private lastHash = -1;
  users = 0;

  constructor(ref: string, game: Game, model: PolicyValueModel, tf: typeof import('@tensorflow/tfjs')) {
    this.ref = ref;
    this.game = game;
    this.model = model;
    this.tf = tf;
    const netPlanes = model.architecture.inputPlanes;
    const gamePlanes = game.encoding.planes;
    const missing = netPlanes.filter((p) => !gamePlanes.includes(p));
    if (missing.length > 0) {
      throw new ArborError(`${ref} reads input planes ${missing.join(', ')}, which ${game.spec} does not have (its planes: ${gamePlanes.join(', ')}); use a network trained on ${game.id}, or build one from its modules with arbor transfer`);
    }
    if (model.numActionsFor(game.shape) !== game.numActions) {
      throw new ArborError(`${ref}'s policy heads give ${model.numActionsFor(game.shape)} actions on ${game.spec}, which has ${game.numActions}; use a network trained on ${game.id}`);
    }
    const cells = game.shape.rows * game.shape.cols;
    this.gather = Int32Array.from(netPlanes, (p) => gamePlanes.indexOf(p));
    this.gameInput = new Float32Array(gamePlanes.length * cells);
    this.netInput = new Float32Array(netPlanes.length * cells);
    this.legal = new Uint8Array(game.numActions);
    this.policy = new Float32Array(game.numActions);
  }

  /** Runs the network on `pos` unless it was the last position asked; fills `policy` and `value`. */
  evaluate(pos: Position): void {
    const hash = pos.hash();
    if (hash === this.lastHash) return;
    const { rows, cols } = this.game.shape;
    const cells = rows * cols;
    pos.encode(this.gameInput, 0);
    for (let p = 0; p < this.gather.length; p++) this.netInput.set(this.gameInput.subarray(this.gather[p] * cells, (this.gather[p] + 1) * cells), p * cells);
    const tf = this.tf;
    const [logits, value] = tf.tidy(() => {
      const out = this.model.forward(tf.tensor4d(this.netInput, [1, this.gather.length, rows, cols]), false);
      return [out.logits.dataSync() as Float32Array, out.value.dataSync() as Float32Array];
    });
    this.value = Math.max(-1, Math.min(1, value[0]));
    pos.legalMask(this.legal);
    let max = -Infinity;
    for (let a = 0; a < logits.length; a++) if (this.legal[a] && logits[a] > max) max = logits[a];
    let sum = 0;
    for (let a = 0; a < logits.length; a++) sum += this.policy[a] = this.legal[a] ? Math.exp(logits[a] - max) : 0;
    if (sum > 0) for (let a = 0; a < logits.length; a++) this.policy[a] /= sum;
    this.lastHash = hash;
  }

  dispose(): void {
    this.model.dispose();
  }
}

const loaded = new Map<string, Promise<SyncNetwork>>();

/** Loads (once per reference and game) the network `ref` for `game`, on the active tfjs backend. */
export async function loadSyncNetwork(ref: string, game: Game): Promise<SyncNetwork> {
  const key = `${game.spec}\n${ref}`;
  let pending = loaded.get(key);
  if (!pending) {
    pending = (async () => {
      const [tf, networks, transfer] = await Promise.all([import('@tensorflow/tfjs'), import('../../networks/index.js'), import('../../transfer/index.js')]);
      if (!networks.activeBackend()) await networks.selectBackend('auto', { quiet: true });
      const resolved = await transfer.readNetwork(ref);
      const net = new SyncNetwork(ref, game, new networks.PolicyValueModel(resolved.architecture, resolved.weights), tf);
      // The first forward pass compiles the backend's kernels (a few hundred ms on wasm): pay it
      // here, while loading, not inside the first timed move.
      net.evaluate(game.newInitialState());
      return net;
    })();
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  const net = await pending;
  net.users++;
  return net;
}

function release(net: SyncNetwork): void {
  if (--net.users > 0) return;
  loaded.delete(`${net.game.spec}\n${net.ref}`);
  net.dispose();
}

type NetworkCall = (net: SyncNetwork, pos: Position, move: number, out: Float32Array | null) => unknown;

/**
 * `call` gets an output buffer when the result is a policy: one per compiled call site
 * (`instantiate`, valid until the site runs again), a fresh one for plain `fn` calls.
 */
function networkFactory(name: string, args: readonly ProgramType[], result: ProgramType, doc: string, call: NetworkCall): PrimitiveFactory {
  return {
    name,
    args,
    result,
    pure: true,
    doc,
    async prepare(ref: string, game: Game): Promise<PreparedPrimitive> {
      const net = await loadSyncNetwork(ref, game);
      const policySized = () => (result === 'policy' ? new Float32Array(game.numActions) : null);
      type Impl = (ctx: ProgramContext, ...a: never[]) => unknown;
      return {
        primitive: {
          name,
          args,
          result,
          pure: true,
          doc,
          instantiate: () => {
            const out = policySized();
            return ((_ctx: ProgramContext, pos: Position, move: number) => call(net, pos, move, out)) as Impl;
          },
          fn: ((_ctx: ProgramContext, pos: Position, move: number) => call(net, pos, move, policySized())) as Impl,
        },
        close: () => release(net),
      };
    },
  };
}

export const networkPrimitiveFactories: readonly PrimitiveFactory[] = [
  networkFactory('net-value', ['position'], 'value', "(net-value NET pos): the network's value of pos for the player to move", (net, pos) => {
    if (pos.isTerminal()) return terminalValue(pos);
    net.evaluate(pos);
    return net.value;
  }),
  networkFactory('net-policy', ['position'], 'policy', "(net-policy NET pos): the network's policy over the legal moves of pos", (net, pos, _move, out) => {
    const policy = out as Float32Array;
    if (pos.isTerminal()) return policy.fill(0);
    net.evaluate(pos);
    policy.set(net.policy);
    return policy;
  }),
  networkFactory('net-prior', ['position', 'move'], 'number', "(net-prior NET pos m): the network's prior probability of move m in pos (0 if illegal)", (net, pos, move) => {
    if (pos.isTerminal() || !(move >= 0 && move < net.game.numActions)) return 0;
    net.evaluate(pos);
    return net.policy[move];
  }),
];
