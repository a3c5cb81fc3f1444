import { ArborError } from '../core/index.js';
import { PROVEN_NONE, PROVEN_DRAW } from './proven.js';

/**
 * The search tree as a struct of arrays (the layout of mctx's `Tree`, grown in place instead of
 * fixed-size): node i is entry i of every array below; there is no object per node.
 *
 * A node stands for the state reached by `action[i]` from `parent[i]`. Its children are one
 * contiguous block `firstChild[i] .. firstChild[i] + numChildren[i] - 1`, created all at once
 * when the node is expanded (one entry per legal action, with its prior), so a child's index is
 * always larger than its parent's. That ordering lets `reroot` compact a kept subtree in place
 * with one forward sweep.
 *
 * Values are stored from the point of view of `mover[i]`, the player who chose the action into
 * node i (the player to move at the parent), so a parent ranks its children by their own Q
 * directly; backup adds `returns[mover[i]]`, which already fits an n-player return vector.
 *
 * Memory per node (bytes): visits 4, valueSum 8, prior 4, rawValue 4, parent 4, firstChild 4,
 * numChildren 2, action 2, virtualLoss 2, mover 1, proven 1, status 1 = 37 bytes
 * (`BYTES_PER_NODE`), plus 4 bytes of scratch used while re-rooting.
 */

/** Node status. */
export const NEW = 0;
/** Queued for evaluation in the current batch (children not created yet). */
export const PENDING = 1;
export const EXPANDED = 2;
export const TERMINAL = 3;

export const BYTES_PER_NODE = 4 + 8 + 4 + 4 + 4 + 4 + 2 + 2 + 2 + 1 + 1 + 1;

export class Tree {
  capacity: number;
  readonly maxNodes: number;
  size = 0;
  root = -1;
  visits!: Int32Array;
  /** Sum of backed-up values for mover[i], in [-1, 1] each. */
  valueSum!: Float64Array;
  prior!: Float32Array;
  /** The evaluator's value of this node's state, for the player to move there (Gumbel's v_mix needs it). */
  rawValue!: Float32Array;
  parent!: Int32Array;
  firstChild!: Int32Array;
  numChildren!: Uint16Array;
  action!: Uint16Array;
  /** Simulations in flight through this node (batched leaf evaluation). */
  virtualLoss!: Uint16Array;
  mover!: Int8Array;
  /** MCTS-solver result for mover[i]: a code of proven.ts (PROVEN_NONE while unproven). */
  proven!: Uint8Array;
  status!: Uint8Array;
  private remap: Int32Array | null = null;

  constructor(initialCapacity = 1 << 12, maxNodes = 1 << 23) {
    this.maxNodes = maxNodes;
    this.capacity = Math.max(16, Math.min(initialCapacity, maxNodes));
    this.allocate(this.capacity, false);
  }

  private allocate(capacity: number, keep: boolean): void {
    const grow = <T extends Int32Array | Float64Array | Float32Array | Uint16Array | Int8Array | Uint8Array>(old: T | undefined, make: (n: number) => T): T => {
      const next = make(capacity);
      if (keep && old) next.set(old.subarray(0, this.size) as never);
      return next;
    };
    this.visits = grow(this.visits, (n) => new Int32Array(n));
    this.valueSum = grow(this.valueSum, (n) => new Float64Array(n));
    this.prior = grow(this.prior, (n) => new Float32Array(n));
    this.rawValue = grow(this.rawValue, (n) => new Float32Array(n));
    this.parent = grow(this.parent, (n) => new Int32Array(n));
    this.firstChild = grow(this.firstChild, (n) => new Int32Array(n));
    this.numChildren = grow(this.numChildren, (n) => new Uint16Array(n));
    this.action = grow(this.action, (n) => new Uint16Array(n));
    this.virtualLoss = grow(this.virtualLoss, (n) => new Uint16Array(n));
    this.mover = grow(this.mover, (n) => new Int8Array(n));
    this.proven = grow(this.proven, (n) => new Uint8Array(n));
    this.status = grow(this.status, (n) => new Uint8Array(n));
    this.capacity = capacity;
    this.remap = null;
  }

  clear(): void {
    this.size = 0;
    this.root = -1;
  }

  /** Creates a fresh root whose values are kept for `mover` (by convention the player to move there). */
  newRoot(mover: number): number {
    this.clear();
    this.root = this.reserve(1, -1, mover);
    return this.root;
  }

  /**
   * Reserves `count` contiguous, zeroed children of `node`, chosen by `mover`; returns the first
   * index, or -1 when the tree has reached `maxNodes`. The caller sets `action` and `prior`.
   */
  addChildren(node: number, count: number, mover: number): number {
    const first = this.reserve(count, node, mover);
    if (first < 0) return -1;
    this.firstChild[node] = first;
    this.numChildren[node] = count;
    return first;
  }

  private reserve(count: number, parent: number, mover: number): number {
    const end = this.size + count;
    if (end > this.capacity) {
      if (end > this.maxNodes) return -1;
      // Doubling keeps growth amortised O(1) per node; growth happens a few times per search at most.
      this.allocate(Math.min(this.maxNodes, Math.max(end, this.capacity * 2)), true);
    }
    const first = this.size;
    for (let i = first; i < end; i++) {
      this.visits[i] = 0;
      this.valueSum[i] = 0;
      this.prior[i] = 0;
      this.rawValue[i] = 0;
      this.parent[i] = parent;
      this.firstChild[i] = -1;
      this.numChildren[i] = 0;
      this.action[i] = 0;
      this.virtualLoss[i] = 0;
      this.mover[i] = mover;
      this.proven[i] = PROVEN_NONE;
      this.status[i] = NEW;
    }
    this.size = end;
    return first;
  }

  /** The child of `node` reached by `action`, or -1. */
  childFor(node: number, action: number): number {
    const first = this.firstChild[node];
    for (let i = 0; i < this.numChildren[node]; i++) if (this.action[first + i] === action) return first + i;
    return -1;
  }

  /**
   * Keeps only the subtree under `newRoot` and makes it the root (tree reuse). Nodes keep their
   * relative order, so every index only moves down and one ascending sweep compacts in place.
   */
  reroot(newRoot: number): void {
    if (newRoot < 0 || newRoot >= this.size) throw new ArborError(`tree: cannot re-root at node ${newRoot}; it does not exist`);
    const remap = this.remap && this.remap.length >= this.capacity ? this.remap : (this.remap = new Int32Array(this.capacity));
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      // Parents precede their children, so a parent's mark is known when its child is reached.
      const live = i === newRoot || (i > newRoot && this.parent[i] >= 0 && remap[this.parent[i]] >= 0);
      remap[i] = live ? kept++ : -1;
    }
    for (let i = 0; i < this.size; i++) {
      const j = remap[i];
      if (j < 0) continue;
      this.visits[j] = this.visits[i];
      this.valueSum[j] = this.valueSum[i];
      this.prior[j] = this.prior[i];
      this.rawValue[j] = this.rawValue[i];
      this.parent[j] = i === newRoot ? -1 : remap[this.parent[i]];
      this.firstChild[j] = this.firstChild[i] >= 0 ? remap[this.firstChild[i]] : -1;
      this.numChildren[j] = this.numChildren[i];
      this.action[j] = this.action[i];
      this.virtualLoss[j] = this.virtualLoss[i];
      this.mover[j] = this.mover[i];
      this.proven[j] = this.proven[i];
      // A pending leaf of an interrupted batch would never be evaluated: make it new again.
      this.status[j] = this.status[i] === PENDING ? NEW : this.status[i];
      if (this.status[j] === NEW) {
        this.firstChild[j] = -1;
        this.numChildren[j] = 0;
      }
    }
    this.size = kept;
    this.root = 0;
  }

  /** Q of node i for mover[i]: its proven value when the solver knows it, else the mean backed-up value. */
  q(i: number): number {
    const p = this.proven[i];
    if (p !== PROVEN_NONE) return p - PROVEN_DRAW;
    const n = this.visits[i];
    return n > 0 ? this.valueSum[i] / n : 0;
  }
}
