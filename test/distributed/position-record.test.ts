import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { decodeGameRecord, encodeGameRecord } from '../../src/distributed/index.js';
import { emptyChunk, emptyStats } from '../../src/selfplay/index.js';
import { createRng, encodedSize } from '../../src/core/index.js';

describe('position records (binary, one game each)', () => {
  const game = createGame('connect4:rows=5,cols=6');
  const rng = createRng('record');
  const chunk = emptyChunk(game, 7, true);
  for (const a of [chunk.inputs, chunk.policies, chunk.values, chunk.ownership!]) for (let i = 0; i < a.length; i++) a[i] = rng.next() * 2 - 1;
  for (let i = 0; i < chunk.masks.length; i++) chunk.masks[i] = rng.int(2);
  const stats = { ...emptyStats(), games: 1, moves: 9, samples: 4, secondWins: 1, simulations: 321, searchMs: 12.5 };
  const header = { run: 'c4-run', runId: 'abc123', actor: 'host-1', game: game.spec, modelVersion: 17 };

  it('round-trips a game cut out of a batch: positions, targets, ownership, totals and header', () => {
    const bytes = encodeGameRecord(game, header, chunk, 2, 4, stats);
    const back = decodeGameRecord(game, bytes);
    expect(back).toMatchObject(header);
    expect(back.stats).toEqual(stats);
    expect(back.chunk.count).toBe(4);
    const inSize = encodedSize(game);
    const a = game.numActions;
    const cells = game.shape.rows * game.shape.cols;
    expect(Array.from(back.chunk.inputs)).toEqual(Array.from(chunk.inputs.subarray(2 * inSize, 6 * inSize)));
    expect(Array.from(back.chunk.policies)).toEqual(Array.from(chunk.policies.subarray(2 * a, 6 * a)));
    expect(Array.from(back.chunk.values)).toEqual(Array.from(chunk.values.subarray(2, 6)));
    expect(Array.from(back.chunk.masks)).toEqual(Array.from(chunk.masks.subarray(2 * a, 6 * a)));
    expect(Array.from(back.chunk.ownership!)).toEqual(Array.from(chunk.ownership!.subarray(2 * cells, 6 * cells)));
    // Binary, not JSON: 4 samples of 5x6 Connect Four take a few kB, and the record starts with the magic.
    expect(bytes.subarray(0, 4).toString()).toBe('ARBP');
  });

  it('refuses garbage, another format version, a damaged record and another game\'s positions, each with a clear reason', () => {
    const good = encodeGameRecord(game, header, chunk, 0, 3, stats);
    expect(() => decodeGameRecord(game, Buffer.from('{"positions":[1,2,3]} and more text than a header'))).toThrow(/not a valid arbor positions record: magic/);
    expect(() => decodeGameRecord(game, Buffer.from('ARBP'))).toThrow(/shorter than any record/);
    const otherVersion = Buffer.from(good);
    otherVersion.writeUInt16LE(9, 4);
    expect(() => decodeGameRecord(game, otherVersion)).toThrow(/format version 9, this arbor reads version 1/);
    const damaged = Buffer.from(good);
    damaged[200] ^= 0xff;
    expect(() => decodeGameRecord(game, damaged)).toThrow(/checksum mismatch/);
    expect(() => decodeGameRecord(game, good.subarray(0, good.length - 10))).toThrow(/not a valid arbor positions record/);
    expect(() => decodeGameRecord(createGame('connect4'), good)).toThrow(/holds connect4:rows=5,cols=6 positions, this run trains connect4/);
  });
});
