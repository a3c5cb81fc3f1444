import { crc32 } from 'node:zlib';
import { ArborError, encodedSize, type Game } from '../core/index.js';
import { readChunkArrays, type SampleChunk, type SelfPlayStats } from '../selfplay/index.js';

/**
 * The binary record of one finished self-play game on a run's positions stream: one stream entry
 * per game, so an actor that dies leaves whole games or nothing. Little-endian:
 *
 *   magic "ARBP" (4 bytes)   format version u16   flags u16 (bit 0: ownership targets)
 *   model version i32        samples u32          inputSize u32   numActions u32   cells u32
 *   stats: the game's SelfPlayStats, STAT_KEYS order, 11 × f64
 *   run name, run id, actor id, game spec: each u16 byte length + UTF-8
 *   samples × (inputs f32 × inputSize), × (policies f32 × numActions), × (values f32),
 *   × (masks u8 × numActions), [× (ownership f32 × cells)]
 *   CRC-32 of everything before it, u32
 *
 * Decoding refuses anything else with an ArborError saying what is wrong: another magic (not an
 * arbor record), another format version, sizes that do not match the game, a bad checksum.
 */
export const RECORD_MAGIC = 0x50425241; // "ARBP" read as a little-endian u32
export const RECORD_FORMAT = 1;

/** The order the stats are written in (a fixed list: a record must not depend on object key order). */
const STAT_KEYS = ['games', 'moves', 'samples', 'firstWins', 'secondWins', 'draws', 'resigned', 'playthroughGames', 'falseResignations', 'simulations', 'searchMs'] as const satisfies readonly (keyof SelfPlayStats)[];

export interface RecordHeader {
  run: string;
  runId: string;
  actor: string;
  game: string;
  modelVersion: number;
}

export interface GameRecord extends RecordHeader {
  chunk: SampleChunk;
  stats: SelfPlayStats;
}

const FIXED_BYTES = 4 + 2 + 2 + 4 + 4 * 4 + STAT_KEYS.length * 8;

/** Encodes one game's samples (`chunk` rows `from..from+count`) with its totals into a record. */
export function encodeGameRecord(game: Game, header: RecordHeader, chunk: SampleChunk, from: number, count: number, stats: SelfPlayStats): Buffer {
  if (header.game !== game.spec) throw new Error(`record of ${header.game} encoded with game ${game.spec}`);
  const inSize = encodedSize(game);
  const a = game.numActions;
  const cells = game.shape.rows * game.shape.cols;
  const own = chunk.ownership;
  const strings = [header.run, header.runId, header.actor, header.game].map((s) => Buffer.from(s, 'utf8'));
  const stringBytes = strings.reduce((n, s) => n + 2 + s.length, 0);
  const bodyBytes = count * (inSize * 4 + a * 4 + 4 + a + (own ? cells * 4 : 0));
  const out = Buffer.alloc(FIXED_BYTES + stringBytes + bodyBytes + 4);
  let at = 0;
  at = out.writeUInt32LE(RECORD_MAGIC, at);
  at = out.writeUInt16LE(RECORD_FORMAT, at);
  at = out.writeUInt16LE(own ? 1 : 0, at);
  at = out.writeInt32LE(header.modelVersion, at);
  at = out.writeUInt32LE(count, at);
  at = out.writeUInt32LE(inSize, at);
  at = out.writeUInt32LE(a, at);
  at = out.writeUInt32LE(cells, at);
  for (const k of STAT_KEYS) at = out.writeDoubleLE(stats[k], at);
  for (const s of strings) {
    if (s.length > 0xffff) throw new Error('record string too long');
    at = out.writeUInt16LE(s.length, at);
    at += s.copy(out, at);
  }
  const copy = (src: Float32Array | Uint8Array, rowLength: number) => {
    const bytes = Buffer.from(src.buffer, src.byteOffset + from * rowLength * src.BYTES_PER_ELEMENT, count * rowLength * src.BYTES_PER_ELEMENT);
    at += bytes.copy(out, at);
  };
  copy(chunk.inputs, inSize);
  copy(chunk.policies, a);
  copy(chunk.values, 1);
  copy(chunk.masks, a);
  if (own) copy(own, cells);
  out.writeUInt32LE(crc32(out.subarray(0, at)), at);
  return out;
}

/** Decodes a record of `game` (refusing another game's); throws an ArborError naming what is wrong. */
export function decodeGameRecord(game: Game, bytes: Buffer): GameRecord {
  const fail = (why: string): never => {
    throw new ArborError(`not a valid arbor positions record: ${why}`);
  };
  if (bytes.length >= 4 && bytes.readUInt32LE(0) !== RECORD_MAGIC) fail(`magic ${bytes.subarray(0, 4).toString('hex')}, expected ${Buffer.from('ARBP').toString('hex')} ("ARBP")`);
  if (bytes.length < FIXED_BYTES + 4) fail(`${bytes.length} bytes is shorter than any record`);
  const format = bytes.readUInt16LE(4);
  if (format !== RECORD_FORMAT) fail(`format version ${format}, this arbor reads version ${RECORD_FORMAT} (update the actor or the learner so both run the same arbor)`);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== bytes.readUInt32LE(bytes.length - 4)) fail('checksum mismatch (damaged record)');
  const withOwnership = (bytes.readUInt16LE(6) & 1) === 1;
  const modelVersion = bytes.readInt32LE(8);
  const count = bytes.readUInt32LE(12);
  const inSize = bytes.readUInt32LE(16);
  const a = bytes.readUInt32LE(20);
  const cells = bytes.readUInt32LE(24);
  let at = 28;
  const stats = {} as SelfPlayStats;
  for (const k of STAT_KEYS) {
    stats[k] = bytes.readDoubleLE(at);
    at += 8;
  }
  const strings: string[] = [];
  for (let i = 0; i < 4; i++) {
    if (at + 2 > bytes.length) fail('truncated header');
    const n = bytes.readUInt16LE(at);
    at += 2;
    if (at + n > bytes.length) fail('truncated header');
    strings.push(bytes.toString('utf8', at, at + n));
    at += n;
  }
  const [run, runId, actor, spec] = strings;
  if (spec !== game.spec) fail(`it holds ${spec} positions, this run trains ${game.spec}`);
  if (inSize !== encodedSize(game) || a !== game.numActions || cells !== game.shape.rows * game.shape.cols) fail(`its sizes (input ${inSize}, actions ${a}) do not match ${game.spec}`);
  const expected = at + count * (inSize * 4 + a * 4 + 4 + a + (withOwnership ? cells * 4 : 0)) + 4;
  if (bytes.length !== expected) fail(`length ${bytes.length}, expected ${expected} for ${count} samples`);
  const chunk = readChunkArrays(game, bytes.subarray(at, bytes.length - 4), count, withOwnership);
  return { run, runId, actor, game: spec, modelVersion, chunk, stats };
}
