import { encodedSize, type Game } from '../core/index.js';
import { boardCells, emptyChunk, type SampleChunk } from './replay-buffer.js';
import type { GameSamples } from './targets/index.js';
import type { Trajectory } from './trajectory.js';

/**
 * Writes games' samples into one growing SampleChunk (the unit the actors hand to the learner and
 * the run folder stores): each sample's encoded position, policy target and legal mask come from
 * its trajectory, its value and ownership targets from GameSamples, `copies` times over.
 */
export class SampleWriter {
  private chunk: SampleChunk;
  private readonly inSize: number;
  private readonly cells: number;

  constructor(private readonly game: Game, capacity: number, private readonly withOwnership: boolean) {
    this.chunk = emptyChunk(game, capacity, withOwnership);
    this.chunk.count = 0;
    this.inSize = encodedSize(game);
    this.cells = boardCells(game);
  }

  /** Appends one game's samples; returns how many were written. */
  append(t: Trajectory, samples: GameSamples): number {
    this.reserve(this.chunk.count + samples.written);
    const a = this.game.numActions;
    const inSize = this.inSize;
    const cells = this.cells;
    const c = this.chunk;
    const ownership = this.withOwnership ? samples.ownership : null;
    if (this.withOwnership && !ownership) throw new Error('sample writer: ownership targets were asked for but not computed');
    for (let i = 0; i < samples.plies.length; i++) {
      const ply = samples.plies[i];
      for (let k = samples.copies[i]; k > 0; k--) {
        const at = c.count++;
        c.inputs.set(t.inputs.subarray(ply * inSize, (ply + 1) * inSize), at * inSize);
        c.policies.set(t.policies.subarray(ply * a, (ply + 1) * a), at * a);
        c.masks.set(t.masks.subarray(ply * a, (ply + 1) * a), at * a);
        c.values[at] = samples.values[i];
        if (ownership && c.ownership) c.ownership.set(ownership.subarray(i * cells, (i + 1) * cells), at * cells);
      }
    }
    return samples.written;
  }

  /** The chunk trimmed to its count (copies, so it can be transferred to another thread). */
  finish(): SampleChunk {
    const c = this.chunk;
    const a = this.game.numActions;
    return {
      count: c.count,
      inputs: c.inputs.slice(0, c.count * this.inSize),
      policies: c.policies.slice(0, c.count * a),
      values: c.values.slice(0, c.count),
      masks: c.masks.slice(0, c.count * a),
      ownership: c.ownership?.slice(0, c.count * this.cells),
    };
  }

  private reserve(need: number): void {
    if (need * this.inSize <= this.chunk.inputs.length) return;
    const bigger = emptyChunk(this.game, Math.max(need, this.chunk.values.length * 2), this.withOwnership);
    bigger.inputs.set(this.chunk.inputs);
    bigger.policies.set(this.chunk.policies);
    bigger.values.set(this.chunk.values);
    bigger.masks.set(this.chunk.masks);
    if (bigger.ownership && this.chunk.ownership) bigger.ownership.set(this.chunk.ownership);
    bigger.count = this.chunk.count;
    this.chunk = bigger;
  }
}
