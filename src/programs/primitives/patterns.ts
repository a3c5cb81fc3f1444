import { ArborError, type Game } from '../../core/index.js';
import type { ModuleWeights } from '../../networks/index.js';
import type { Position, PreparedPrimitive, PrimitiveFactory, ProgramContext, ProgramType } from '../types.js';
import { boardView } from './board-view.js';
import { clampInt } from './budget.js';

/**
 * Learned pattern detectors: the filters of a network's stem (its first 3x3 convolution, batch
 * norm and ReLU; src/networks/architecture.ts) applied to the position at one cell. Each filter
 * is a small learned local pattern over the named input planes; a program can ask "how strongly
 * does filter f fire where this move plays" the way hand-written programs ask about open lines,
 * as learned features feed programmatic strategies in Lelis et al.'s work.
 *
 * The stem comes from a checkpoint or run folder, a `net` library entry, or a `stem` library
 * entry (`lib:NAME`); it is computed here in plain JavaScript (nine taps per plane, no tfjs), so a
 * call allocates nothing. Its planes are matched to the game's by name; planes the game does not
 * have read as zero (the transfer layer's convention for stems moved across games), and a stem
 * sharing no plane with the game is refused. The filter index is rounded and taken modulo the
 * number of filters, so any number a program computes names a filter.
 */

export interface StemFilters {
  readonly planes: readonly string[];
  readonly filters: number;
  /** HWIO kernel [3, 3, planes, filters]. */
  readonly kernel: Float32Array;
  /** Batch norm folded in: activation = relu(conv * scale + shift). */
  readonly scale: Float32Array;
  readonly shift: Float32Array;
}

/** The stem's convolution and batch norm, folded, from its module weights. */
export function stemFilters(stem: ModuleWeights, epsilon: number): StemFilters {
  const find = (suffix: string) => {
    const t = stem.tensors.find((x) => x.name.endsWith(suffix));
    if (!t) throw new ArborError(`the stem has no ${suffix} tensor (it has ${stem.tensors.map((x) => x.name).join(', ')}); give a network or stem saved by this arbor`);
    return t;
  };
  const conv = find('/conv');
  if (conv.shape.length !== 4 || conv.shape[0] !== 3 || conv.shape[1] !== 3 || conv.shape[2] !== stem.reads.length) {
    throw new ArborError(`the stem's convolution has shape [${conv.shape.join(', ')}], not [3, 3, ${stem.reads.length}, filters]; give a network or stem saved by this arbor`);
  }
  const filters = conv.shape[3];
  const gamma = find('/gamma').data;
  const beta = find('/beta').data;
  const mean = find('/mean').data;
  const variance = find('/var').data;
  const scale = new Float32Array(filters);
  const shift = new Float32Array(filters);
  for (let f = 0; f < filters; f++) {
    scale[f] = gamma[f] / Math.sqrt(variance[f] + epsilon);
    shift[f] = beta[f] - mean[f] * scale[f];
  }
  return { planes: stem.reads, filters, kernel: conv.data, scale, shift };
}

/** A stem's filters bound to one game: its planes gathered by name from the game's encoding. */
export class PatternDetector {
  readonly game: Game;
  readonly stem: StemFilters;
  private readonly gather: Int32Array;
  private readonly input: Float32Array;
  private readonly rows: number;
  private readonly cols: number;

  constructor(game: Game, stem: StemFilters, ref: string) {
    this.game = game;
    this.stem = stem;
    this.gather = Int32Array.from(stem.planes, (p) => game.encoding.planes.indexOf(p));
    if (this.gather.every((g) => g < 0)) {
      throw new ArborError(`${ref}'s stem reads planes ${stem.planes.join(', ')}, none of which ${game.spec} has (its planes: ${game.encoding.planes.join(', ')}); use a stem trained on a game with the same plane names`);
    }
    this.rows = game.shape.rows;
    this.cols = game.shape.cols;
    this.input = new Float32Array(game.encoding.planes.length * this.rows * this.cols);
  }

  /** Encodes `pos` for the activation calls that follow. */
  load(pos: Position): void {
    pos.encode(this.input, 0);
  }

  /** After `load`: the activation of filter `f` at `cell` (ReLU of the batch-normed 3x3 convolution, zero padding). */
  activation(f: number, cell: number): number {
    const { kernel, filters, scale, shift } = this.stem;
    const P = this.gather.length;
    const rows = this.rows;
    const cols = this.cols;
    const cells = rows * cols;
    const r = Math.floor(cell / cols);
    const c = cell % cols;
    let sum = 0;
    for (let ky = 0; ky < 3; ky++) {
      const y = r + ky - 1;
      if (y < 0 || y >= rows) continue;
      for (let kx = 0; kx < 3; kx++) {
        const x = c + kx - 1;
        if (x < 0 || x >= cols) continue;
        const base = (ky * 3 + kx) * P;
        for (let p = 0; p < P; p++) {
          const g = this.gather[p];
          if (g < 0) continue;
          const v = this.input[g * cells + y * cols + x];
          if (v !== 0) sum += v * kernel[(base + p) * filters + f];
        }
      }
    }
    const a = sum * scale[f] + shift[f];
    return a > 0 ? a : 0;
  }

  /** A program's filter number as a filter index. */
  filterIndex(n: number): number {
    const f = clampInt(n, -1e9, 1e9) % this.stem.filters;
    return f < 0 ? f + this.stem.filters : f;
  }
}

/** The stem of a reference: a `stem` library entry, or the stem module of a network (folder or `net` entry). */
async function readStem(ref: string): Promise<{ stem: ModuleWeights; epsilon: number }> {
  const [networks, transfer] = await Promise.all([import('../../networks/index.js'), import('../../transfer/index.js')]);
  if (ref.startsWith('lib:')) {
    const libraries = new transfer.Libraries();
    try {
      const entry = libraries.get(ref.slice(4));
      if (entry.kind === 'stem') return { stem: transfer.getModuleWeights(entry), epsilon: networks.BN_EPSILON };
      if (entry.kind !== 'net') throw new ArborError(`library entry ${entry.name} is a ${entry.kind}; pattern detectors read a stem or net entry`);
    } finally {
      libraries.close();
    }
  }
  const resolved = await transfer.readNetwork(ref);
  return { stem: networks.moduleWeights(resolved, 'stem'), epsilon: networks.BN_EPSILON };
}

export async function loadPatternDetector(ref: string, game: Game): Promise<PatternDetector> {
  const { stem, epsilon } = await readStem(ref);
  return new PatternDetector(game, stemFilters(stem, epsilon), ref);
}

function patternFactory(name: string, args: readonly ProgramType[], doc: string, call: (d: PatternDetector, ctx: ProgramContext, pos: Position, a: number, b: number) => number): PrimitiveFactory {
  return {
    name,
    args,
    result: 'number',
    pure: true,
    doc,
    async prepare(ref: string, game: Game): Promise<PreparedPrimitive> {
      const detector = await loadPatternDetector(ref, game);
      return {
        primitive: { name, args, result: 'number', pure: true, doc, fn: ((ctx: ProgramContext, pos: Position, a: number, b: number) => call(detector, ctx, pos, a, b)) as (ctx: ProgramContext, ...x: never[]) => unknown },
        close: () => {},
      };
    },
  };
}

export const patternPrimitiveFactories: readonly PrimitiveFactory[] = [
  patternFactory('pattern-at', ['position', 'move', 'number'], '(pattern-at STEM pos m f): activation of learned stem filter f on the cell move m plays on (0 for a move without a cell)', (d, ctx, pos, move, f) => {
    if (!(move >= 0 && move < ctx.game.numActions)) return 0;
    const view = boardView(ctx.game);
    view.read(pos);
    const cell = view.targetCell(move);
    if (cell < 0) return 0;
    d.load(pos);
    return d.activation(d.filterIndex(f), cell);
  }),
  patternFactory('pattern-max', ['position', 'number'], '(pattern-max STEM pos f): the strongest activation of learned stem filter f anywhere on the board', (d, ctx, pos, f) => {
    d.load(pos);
    const filter = d.filterIndex(f);
    const cells = ctx.game.shape.rows * ctx.game.shape.cols;
    let best = 0;
    for (let c = 0; c < cells; c++) {
      const a = d.activation(filter, c);
      if (a > best) best = a;
    }
    return best;
  }),
];
