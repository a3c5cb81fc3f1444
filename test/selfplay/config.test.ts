import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborError } from '../../src/core/index.js';
import { resolveConfig, validateConfig } from '../../src/selfplay/config.js';
import { basePreset, gamePresets, presetFor } from '../../src/selfplay/presets.js';

const dir = mkdtempSync(join(tmpdir(), 'arbor-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('presets', () => {
  it('every game preset resolves to a valid config', () => {
    for (const [gameId, presets] of Object.entries(gamePresets)) {
      for (const preset of ['quick', 'standard'] as const) {
        const c = resolveConfig({ game: gameId, gameId, preset, seed: 's' });
        expect(c.game).toBe(gameId);
        expect(c.selfplay.workers).toBeGreaterThanOrEqual(1);
        expect(presets[preset] ?? {}).toBeTypeOf('object');
      }
    }
  });
  it('a game patch changes only what it names', () => {
    const quick = presetFor('tictactoe', 'quick');
    expect(quick.selfplay.simulations).toBe(gamePresets.tictactoe.quick!.selfplay!.simulations);
    expect(quick.selfplay.cPuct).toBe(basePreset.selfplay.cPuct);
    expect(quick.stop.minutes).toBe(2);
  });
});

describe('--config overrides', () => {
  it('merges a partial file over the preset', () => {
    const path = file('ok.json', JSON.stringify({ selfplay: { simulations: 300, temperature: { final: 0 } }, evaluation: { opponents: ['random'] } }));
    const c = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'standard', seed: 's', configFile: path });
    expect(c.selfplay.simulations).toBe(300);
    expect(c.selfplay.temperature.final).toBe(0);
    expect(c.selfplay.temperature.initial).toBe(1);
    expect(c.evaluation.opponents).toEqual(['random']);
    expect(c.selfplay.cheapSimulations).toBe(50);
  });
  it('names an unknown key and a bad value', () => {
    const typo = file('typo.json', JSON.stringify({ selfplay: { simulatons: 300 } }));
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: typo })).toThrow(/selfplay.*simulatons/);
    const bad = file('bad.json', JSON.stringify({ replay: { sampleReuse: -1 } }));
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: bad })).toThrow(/replay\.sampleReuse/);
    const root = file('root.json', JSON.stringify({ selfplay: { root: 'alphabeta' } }));
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: root })).toThrow(ArborError);
  });
  it('rejects malformed files with one clear error', () => {
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: file('x.json', '{nope') })).toThrow(/not valid JSON/);
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: join(dir, 'missing.json') })).toThrow(/cannot read config file/);
    expect(() => resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's', configFile: file('g.json', '{"game":"hex"}') })).toThrow(/--game/);
  });
  it('checks relations between values', () => {
    const c = resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's' });
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, cheapSimulations: c.selfplay.simulations + 1 } }, 'test')).toThrow(/cheapSimulations/);
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, openings: { fraction: 0.5, randomMoves: 3, randomMovesUpTo: 2 } } }, 'test')).toThrow(/randomMovesUpTo must be 0 \(exactly randomMoves\) or at least randomMoves/);
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, forcedPlayouts: 2, root: 'gumbel' } }, 'test')).toThrow(/forcedPlayouts \(2\) works on the noised PUCT root only/);
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, forcedPlayouts: 2, dirichletEpsilon: 0 } }, 'test')).toThrow(/forcedPlayouts/);
    expect(validateConfig({ ...c, selfplay: { ...c.selfplay, forcedPlayouts: 2 } }, 'test').selfplay.forcedPlayouts).toBe(2);
    expect(() => validateConfig({ ...c, model: { ownership: true } }, 'test')).toThrow(/model.ownership is set by training.ownershipWeight/);
    expect(() => validateConfig({ ...c, training: { ...c.training, ownershipWeight: -1 } }, 'test')).toThrow(/training.ownershipWeight/);
    expect(validateConfig({ ...c, training: { ...c.training, ownershipWeight: 1.5 } }, 'test').training.ownershipWeight).toBe(1.5);
  });
});
