import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { gameSignature, mapActionKinds, mapInputPlanes, roleMap } from '../../src/transfer/role-map.js';

/** Role mapping between the built-in games: which target planes and heads have a source, by which rule. */

function planesOf(from: string, to: string): Record<string, [string | null, string]> {
  const map = roleMap(gameSignature(createGame(from)), gameSignature(createGame(to)));
  return Object.fromEntries(map.planes.map((d) => [d.target, [d.source, d.rule]]));
}

function actionsOf(from: string, to: string, placeDrop = true): Record<string, [string | null, string]> {
  const map = roleMap(gameSignature(createGame(from)), gameSignature(createGame(to)), { placeDrop });
  return Object.fromEntries(map.actions.map((d) => [d.target, [d.source, d.rule]]));
}

describe('input planes by role', () => {
  it('tictactoe -> hex: stones and the board mask by name, the side plane gets zeros', () => {
    expect(planesOf('tictactoe', 'hex:size=5')).toEqual({
      'own:stone': ['own:stone', 'exact'],
      'opp:stone': ['opp:stone', 'exact'],
      'cell:exists': ['cell:exists', 'exact'],
      'side:first-player': [null, 'none'],
    });
    const map = roleMap(gameSignature(createGame('tictactoe')), gameSignature(createGame('hex:size=5')));
    expect(map.sourceIndex).toEqual([0, 1, 2, -1]);
    expect(map.planes[3].text).toBe('side:first-player: no source plane, zero stem weights (the source has no side:* plane)');
  });

  it('gomoku -> connect4: threats are features (exact only), the extra cell planes find no free cell:* source', () => {
    const planes = planesOf('gomoku:size=9,k=5', 'connect4');
    expect(planes).toEqual({
      'own:stone': ['own:stone', 'exact'],
      'opp:stone': ['opp:stone', 'exact'],
      'cell:exists': ['cell:exists', 'exact'],
      'side:first-player': [null, 'none'],
      'own:threat': [null, 'none'],
      'opp:threat': [null, 'none'],
      'cell:odd-row': [null, 'none'],
      'cell:playable': [null, 'none'],
    });
    const texts = roleMap(gameSignature(createGame('gomoku:size=9,k=5')), gameSignature(createGame('connect4'))).planes.map((d) => d.text);
    expect(texts[4]).toContain('threat is a rules-derived feature');
    expect(texts[6]).toContain('every source cell:* plane (cell:exists) already feeds a target plane');
  });

  it('connect4 5x6 -> 6x7: every plane by name, in place', () => {
    const map = roleMap(gameSignature(createGame('connect4:rows=5,cols=6')), gameSignature(createGame('connect4')));
    expect(map.planes.every((d) => d.rule === 'exact')).toBe(true);
    expect(map.sourceIndex).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(map.actions).toEqual([{ target: 'drop', targetExtent: 'column', source: 'drop', sourceExtent: 'column', rule: 'exact', text: 'drop <- drop (same action kind)' }]);
  });

  it('breakthrough -> othello: pawns stand in for stones (family), the side plane is left over', () => {
    expect(planesOf('breakthrough:rows=6,cols=6', 'othello:size=6')).toEqual({
      'own:stone': ['own:pawn', 'family'],
      'opp:stone': ['opp:pawn', 'family'],
      'cell:exists': ['cell:exists', 'exact'],
    });
    const map = roleMap(gameSignature(createGame('breakthrough:rows=6,cols=6')), gameSignature(createGame('othello:size=6')));
    expect(map.sourceIndex).toEqual([0, 1, 2]);
    expect(map.planes[0].text).toBe('own:stone <- own:pawn (family: stone is the generic piece)');
  });

  it('othello -> breakthrough: stones feed pawns, side:first-player gets zeros', () => {
    expect(planesOf('othello:size=6', 'breakthrough:rows=6,cols=6')).toEqual({
      'own:pawn': ['own:stone', 'family'],
      'opp:pawn': ['opp:stone', 'family'],
      'cell:exists': ['cell:exists', 'exact'],
      'side:first-player': [null, 'none'],
    });
  });

  it('nearest kind: generic stone first, then the most similar name; each source plane feeds one target plane', () => {
    const decisions = mapInputPlanes(['own:king', 'own:stone', 'opp:kings', 'side:to-move', 'x'], ['own:queen', 'own:pawn', 'own:knight', 'opp:king', 'side:first-player', 'x']);
    expect(decisions.map((d) => [d.target, d.source, d.rule])).toEqual([
      ['own:queen', 'own:stone', 'family'],
      ['own:pawn', 'own:king', 'family'],
      ['own:knight', null, 'none'],
      ['opp:king', 'opp:kings', 'family'],
      ['side:first-player', 'side:to-move', 'family'],
      ['x', 'x', 'exact'],
    ]);
    expect(decisions[3].text).toBe('opp:king <- opp:kings (family: the nearest opp:* kind by name)');
    expect(decisions[2].text).toContain('every source own:* plane (own:king, own:stone) already feeds a target plane');
  });
});

describe('action kinds', () => {
  it('gomoku -> connect4: drop starts from place (family, reported); with placeDrop off, a fresh head', () => {
    const map = roleMap(gameSignature(createGame('gomoku:size=9,k=5')), gameSignature(createGame('connect4')));
    expect(map.actions.map((d) => [d.target, d.source, d.rule])).toEqual([['drop', 'place', 'family']]);
    expect(map.actions[0].text).toBe("drop <- place (family: both put one piece on the board; a drop column's logit is the mean of the place logits of its cells)");
    expect(actionsOf('gomoku:size=9,k=5', 'connect4', false)).toEqual({ drop: [null, 'none'] });
  });

  it('tictactoe -> othello: place by kind, pass is a fresh head', () => {
    expect(actionsOf('tictactoe', 'othello:size=6')).toEqual({ place: ['place', 'exact'], pass: [null, 'none'] });
  });

  it('breakthrough <-> othello: moves and placements never stand in for each other; pass only from pass', () => {
    const moves = actionsOf('othello:size=6', 'breakthrough:rows=6,cols=6');
    expect(Object.values(moves).every(([source, rule]) => source === null && rule === 'none')).toBe(true);
    expect(Object.keys(moves)).toEqual(['move:N', 'move:NE', 'move:NW', 'move:S', 'move:SE', 'move:SW']);
    expect(actionsOf('breakthrough:rows=6,cols=6', 'othello:size=6')).toEqual({ place: [null, 'none'], pass: [null, 'none'] });
    expect(actionsOf('othello:size=6', 'othello:size=8')).toEqual({ place: ['place', 'exact'], pass: ['pass', 'exact'] });
  });

  it('a kind on the board never maps to a global action of the same name', () => {
    const decisions = mapActionKinds([{ name: 'pass', extent: 'global' }], [{ name: 'pass', extent: 'cell' }]);
    expect(decisions[0]).toMatchObject({ source: null, rule: 'none' });
    expect(decisions[0].text).toBe("pass: fresh head (the source's pass is a global action, this one is not)");
  });
});
