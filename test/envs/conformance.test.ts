/**
 * Every registered game, at its default and at each variant its definition declares, passes the
 * conformance kit (after OpenSpiel's basic_tests, which run against every game): a game
 * registered later is checked without anyone writing a test for it.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, conformanceSpecs, createGame, gameDefinitions, type GameDefinition } from '../../src/envs/index.js';
import { errorOf } from './helpers.js';

const BUILT_IN_GAMES = ['tictactoe', 'gomoku', 'hex', 'connect4', 'othello', 'breakthrough'];

/**
 * Playouts per spec are sized so each spec visits roughly this many positions: 200 games of
 * tic-tac-toe, ~40 of 9x9 gomoku, ~15 of 15x15 gomoku (bounded to 10..200).
 */
const POSITIONS_PER_SPEC = 3000;

function playoutsFor(maxGameLength: number): number {
  return Math.min(200, Math.max(10, Math.ceil(POSITIONS_PER_SPEC / maxGameLength)));
}

describe('the game registry', () => {
  it('holds every built-in game', () => {
    expect(gameDefinitions().map((d) => d.id)).toEqual(expect.arrayContaining(BUILT_IN_GAMES));
  });

  for (const def of gameDefinitions()) {
    it(`${def.id}: the bare name is the default spec and each variant is another ${def.id} spec`, () => {
      const specs = conformanceSpecs(def);
      expect(specs[0]).toBe(def.id);
      expect(specs).toHaveLength(1 + (def.variants?.length ?? 0));
      for (const spec of specs.slice(1)) expect(createGame(spec).params).not.toEqual(createGame(def.id).params);
    });
  }

  // A game with parameters must say which other settings to check: otherwise only its default
  // would ever be, and a size-dependent bug would pass.
  for (const def of gameDefinitions().filter((d) => Object.keys(createGame(d.id).params).length > 0)) {
    it(`${def.id}: has parameters, so declares at least one variant`, () => {
      expect(def.variants?.length ?? 0).toBeGreaterThan(0);
    });
  }

  it('refuses variants that build another game, repeat the default or repeat each other', () => {
    const hex = gameDefinitions().find((d) => d.id === 'hex') as GameDefinition;
    expect(errorOf(() => conformanceSpecs({ ...hex, variants: ['connect4:rows=5,cols=6'] })).message).toMatch(/variant "connect4:rows=5,cols=6" builds a connect4 game/);
    expect(errorOf(() => conformanceSpecs({ ...hex, variants: ['hex:size=7'] })).message).toMatch(/is the same game as the default/);
    expect(errorOf(() => conformanceSpecs({ ...hex, variants: ['hex:size=5', 'hex:size=5,swap=false'] })).message).toMatch(/is the same game as "hex:size=5"/);
    expect(errorOf(() => conformanceSpecs({ ...hex, variants: ['hex:size=99'] })).message).toMatch(/size=99 is out of range/);
  });
});

describe('every registered game passes the conformance kit', () => {
  for (const def of gameDefinitions()) {
    // The raw list, so a bad variant fails its own test here instead of the whole file.
    for (const spec of [def.id, ...(def.variants ?? [])]) {
      it(spec, () => {
        const game = createGame(spec);
        const playouts = playoutsFor(game.maxGameLength);
        const report = checkConformance(game, { playouts, seed: `conformance/${game.spec}` });
        expect(report.failures).toEqual([]);
        expect(report.positions).toBeGreaterThanOrEqual(playouts);
      });
    }
  }
});
