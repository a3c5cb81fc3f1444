import { ArborError, type Game, type Rng, encodedSize } from '../core/index.js';

/**
 * Training positions produced by self-play, in flat typed arrays (one chunk per batch of games,
 * which is also the unit written to the run folder). Values are from the point of view of the
 * player to move in that position, like the encoded input.
 */
export interface SampleChunk {
  count: number;
  /** count × encodedSize(game) floats. */
  inputs: Float32Array;
  /** count × numActions floats, each row sums to 1 (the search's improved policy). */
  policies: Float32Array;
  /** count floats in [-1, 1]: the final result for the mover. */
  values: Float32Array;
  /** count × numActions bytes, 1 = legal. */
  masks: Uint8Array;
  /**
   * count × rows × cols final owners of the cells for the mover (+1 own stone, −1 the opponent's,
   * 0 empty): KataGo's ownership target, present when the run trains an ownership head.
   */
  ownership?: Float32Array;
}

/** Cells of the game's board: the size of one ownership target. */
export function boardCells(game: Game): number {
  return game.shape.rows * game.shape.cols;
}

export function emptyChunk(game: Game, count: number, withOwnership = false): SampleChunk {
  return {
    count,
    inputs: new Float32Array(count * encodedSize(game)),
    policies: new Float32Array(count * game.numActions),
    values: new Float32Array(count),
    masks: new Uint8Array(count * game.numActions),
    ownership: withOwnership ? new Float32Array(count * boardCells(game)) : undefined,
  };
}

export function concatChunks(game: Game, chunks: readonly SampleChunk[]): SampleChunk {
  const total = chunks.reduce((n, c) => n + c.count, 0);
  const withOwnership = chunks.length > 0 && chunks.every((c) => c.ownership !== undefined);
  const out = emptyChunk(game, total, withOwnership);
  const inSize = encodedSize(game);
  const a = game.numActions;
  const cells = boardCells(game);
  let at = 0;
  for (const c of chunks) {
    out.inputs.set(c.inputs.subarray(0, c.count * inSize), at * inSize);
    out.policies.set(c.policies.subarray(0, c.count * a), at * a);
    out.values.set(c.values.subarray(0, c.count), at);
    out.masks.set(c.masks.subarray(0, c.count * a), at * a);
    if (out.ownership && c.ownership) out.ownership.set(c.ownership.subarray(0, c.count * cells), at * cells);
    at += c.count;
  }
  return out;
}

export interface WindowOptions {
  /** c: every position is kept until this many exist. */
  windowMin: number;
  /** Upper bound of the window, in positions. */
  windowMax: number;
  /** α of KataGo's formula. */
  windowExponent: number;
  /** β of KataGo's formula. */
  windowGrowth: number;
}

/**
 * KataGo's growing replay window (Wu 2019, appendix): with N positions generated so far,
 * window(N) = N for N ≤ c, and c·(1 + β·((N/c)^α − 1)/α) beyond, capped at `windowMax`. It grows
 * sublinearly, so the share of early (weak) data in the window keeps shrinking.
 */
export function windowSize(totalPositions: number, o: WindowOptions): number {
  const c = o.windowMin;
  if (totalPositions <= c) return Math.min(totalPositions, o.windowMax);
  const grown = c * (1 + (o.windowGrowth * (Math.pow(totalPositions / c, o.windowExponent) - 1)) / o.windowExponent);
  return Math.min(Math.floor(grown), o.windowMax, totalPositions);
}

export interface ReplayOptions extends WindowOptions {
  /** Trained samples per new position (KataGo/OpenSpiel reuse ratio). */
  sampleReuse: number;
  /** No training before the buffer holds this many positions. */
  minPositions: number;
}

/** What a resumed run needs to continue the buffer exactly (the chunks themselves are files). */
export interface ReplayCounters {
  totalPositions: number;
  trainCredit: number;
  trainedSamples: number;
}

/**
 * The replay window plus the sample-reuse bookkeeping. Chunks older than the window are dropped
 * whole once none of their positions lies inside it.
 */
export class ReplayBuffer {
  private chunks: { chunk: SampleChunk; id: number }[] = [];
  private held = 0;
  totalPositions = 0;
  /** Positions' worth of training owed (new positions × sampleReuse) minus what was trained. */
  trainCredit = 0;
  trainedSamples = 0;
  private readonly inSize: number;

  constructor(readonly game: Game, readonly options: ReplayOptions) {
    this.inSize = encodedSize(game);
  }

  /** Positions currently sampled from. */
  get window(): number {
    return Math.min(this.held, windowSize(this.totalPositions, this.options));
  }

  /** Positions held in memory (the window plus the unexpired part of the oldest chunk). */
  get size(): number {
    return this.held;
  }

  /** Ids of chunks still held (a run folder deletes the others' files). */
  chunkIds(): number[] {
    return this.chunks.map((c) => c.id);
  }

  counters(): ReplayCounters {
    return { totalPositions: this.totalPositions, trainCredit: this.trainCredit, trainedSamples: this.trainedSamples };
  }

  /** Restores the counters after the chunks were re-added with `restoreChunk`. */
  restoreCounters(c: ReplayCounters): void {
    this.totalPositions = c.totalPositions;
    this.trainCredit = c.trainCredit;
    this.trainedSamples = c.trainedSamples;
    this.prune();
  }

  /** Adds freshly generated positions and credits `count × sampleReuse` samples of training. */
  add(chunk: SampleChunk, id: number): void {
    this.chunks.push({ chunk, id });
    this.held += chunk.count;
    this.totalPositions += chunk.count;
    this.trainCredit += chunk.count * this.options.sampleReuse;
    this.prune();
  }

  /** Re-adds a chunk read back from a run folder, without counting it as new. */
  restoreChunk(chunk: SampleChunk, id: number): void {
    this.chunks.push({ chunk, id });
    this.held += chunk.count;
  }

  /**
   * Gradient steps of `batchSize` due now: the credit divided by the batch size, but none before
   * `minPositions` positions exist. The caller reports each trained batch with `consumed`.
   */
  stepsDue(batchSize: number): number {
    if (this.totalPositions < this.options.minPositions || this.held === 0) return 0;
    return Math.floor(this.trainCredit / batchSize);
  }

  consumed(samples: number): void {
    this.trainCredit -= samples;
    this.trainedSamples += samples;
  }

  private prune(): void {
    const keep = windowSize(this.totalPositions, this.options);
    while (this.chunks.length > 1 && this.held - this.chunks[0].chunk.count >= keep) {
      this.held -= this.chunks[0].chunk.count;
      this.chunks.shift();
    }
  }

  /**
   * Fills `out` with `count` positions drawn uniformly (with replacement) from the newest
   * `window` positions. Allocates nothing: `out` is reused across steps. Symmetry augmentation
   * is applied afterwards by the networks module's augmentWithSymmetry.
   */
  sample(out: SampleChunk, count: number, rng: Rng): void {
    const window = this.window;
    const skip = this.held - window;
    const a = this.game.numActions;
    const inSize = this.inSize;
    const cells = boardCells(this.game);
    for (let i = 0; i < count; i++) {
      let index = skip + rng.int(window);
      let c = 0;
      while (index >= this.chunks[c].chunk.count) {
        index -= this.chunks[c].chunk.count;
        c++;
      }
      const src = this.chunks[c].chunk;
      out.inputs.set(src.inputs.subarray(index * inSize, (index + 1) * inSize), i * inSize);
      out.policies.set(src.policies.subarray(index * a, (index + 1) * a), i * a);
      out.masks.set(src.masks.subarray(index * a, (index + 1) * a), i * a);
      out.values[i] = src.values[index];
      if (out.ownership) {
        if (!src.ownership) throw new ArborError('the replay window holds positions without ownership targets, but this run trains an ownership head; start a new run (training.ownershipWeight cannot change within a run)');
        out.ownership.set(src.ownership.subarray(index * cells, (index + 1) * cells), i * cells);
      }
    }
    out.count = count;
  }
}

/**
 * Binary layout of one chunk file: a JSON header line, then the four arrays back to back, and the
 * ownership targets after them when the header says `ownership: true`.
 */
export function encodeChunk(game: Game, chunk: SampleChunk): Uint8Array {
  const own = chunk.ownership;
  const header = Buffer.from(`${JSON.stringify({ format: 'arbor-replay/1', game: game.spec, count: chunk.count, inputSize: encodedSize(game), actions: game.numActions, ...(own ? { ownership: true } : {}) })}\n`);
  const parts = [
    header,
    Buffer.from(chunk.inputs.buffer, chunk.inputs.byteOffset, chunk.count * encodedSize(game) * 4),
    Buffer.from(chunk.policies.buffer, chunk.policies.byteOffset, chunk.count * game.numActions * 4),
    Buffer.from(chunk.values.buffer, chunk.values.byteOffset, chunk.count * 4),
    Buffer.from(chunk.masks.buffer, chunk.masks.byteOffset, chunk.count * game.numActions),
  ];
  if (own) parts.push(Buffer.from(own.buffer, own.byteOffset, chunk.count * boardCells(game) * 4));
  return Buffer.concat(parts);
}

/** Reads a chunk file back; returns a reason string instead of a chunk when it is not valid. */
export function decodeChunk(game: Game, bytes: Uint8Array): SampleChunk | string {
  const nl = bytes.indexOf(10);
  if (nl < 0 || nl > 1000) return 'no header line';
  let header: { format?: string; game?: string; count?: number; inputSize?: number; actions?: number; ownership?: boolean };
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(0, nl)).toString('utf8'));
  } catch {
    return 'unreadable header';
  }
  if (header.format !== 'arbor-replay/1') return `unknown format ${String(header.format)}`;
  if (header.game !== game.spec) return `it holds ${String(header.game)} positions, not ${game.spec}`;
  const count = header.count ?? -1;
  const inSize = encodedSize(game);
  const a = game.numActions;
  if (header.inputSize !== inSize || header.actions !== a || !(count >= 0)) return 'sizes do not match the game';
  const withOwnership = header.ownership === true;
  const cells = boardCells(game);
  const expected = nl + 1 + count * (inSize * 4 + a * 4 + 4 + a + (withOwnership ? cells * 4 : 0));
  if (bytes.length !== expected) return `truncated (${bytes.length} of ${expected} bytes)`;
  return readChunkArrays(game, bytes.subarray(nl + 1), count, withOwnership);
}

/**
 * The arrays of `count` samples laid out back to back as `encodeChunk` writes them (inputs,
 * policies, values, masks, then ownership), copied into fresh, aligned buffers: the bytes' offset
 * in their buffer need not be 4-aligned.
 */
export function readChunkArrays(game: Game, bytes: Uint8Array, count: number, withOwnership: boolean): SampleChunk {
  let at = 0;
  const take = (n: number) => {
    // A copy (a Buffer's slice() would be a view into its shared pool).
    const copy = new Uint8Array(n);
    copy.set(bytes.subarray(at, at + n));
    at += n;
    return copy.buffer;
  };
  return {
    count,
    inputs: new Float32Array(take(count * encodedSize(game) * 4)),
    policies: new Float32Array(take(count * game.numActions * 4)),
    values: new Float32Array(take(count * 4)),
    masks: new Uint8Array(take(count * game.numActions)),
    ownership: withOwnership ? new Float32Array(take(count * boardCells(game) * 4)) : undefined,
  };
}
