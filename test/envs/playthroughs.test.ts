/**
 * The golden playthroughs in test/fixtures/playthroughs/ (after OpenSpiel's playthrough tests):
 * every registered game is played again from the recorded seeds and must reproduce its file
 * line for line, so any change of rules, notation, encoding or hashing is caught and named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createGame, defaultPlaythroughSeed, firstPlaythroughDifference, gameDefinitions, playthroughFileName, playthroughSpecs, recordPlaythrough,
  type PlaythroughDifference,
} from '../../src/envs/index.js';

const DIR = fileURLToPath(new URL('../fixtures/playthroughs/', import.meta.url));
const FIXTURES = 'test/fixtures/playthroughs';
const REGENERATE = 'If the change is intended, record the playthroughs again with `npm run make-playthroughs` and review `git diff test/fixtures/playthroughs` before committing.';

function describeDifference(spec: string, file: string, d: PlaythroughDifference): string {
  const where = d.game === null ? 'in the header' : `in game ${d.game}${d.ply === null ? '' : `, ply ${d.ply}`}`;
  const show = (line: string | null) => (line === null ? '(end of text)' : JSON.stringify(line));
  return [
    `${spec}: the playthrough differs from ${FIXTURES}/${file} ${where}, line ${d.line}:`,
    `  recorded: ${show(d.expected)}`,
    `  now:      ${show(d.actual)}`,
    REGENERATE,
  ].join('\n');
}

const specs = playthroughSpecs(gameDefinitions());

describe('golden playthroughs', () => {
  it('cover every built-in game, and the folder holds no file of an unrecorded spec', () => {
    for (const id of ['tictactoe', 'gomoku', 'hex', 'connect4', 'othello', 'breakthrough']) expect(specs).toContain(id);
    const expected = new Set(specs.map(playthroughFileName));
    const stale = readdirSync(DIR).filter((name) => name.endsWith('.txt') && !expected.has(name));
    expect(stale, `no registered spec records ${stale.join(', ')}; ${REGENERATE}`).toEqual([]);
  });

  for (const spec of specs) {
    it(`${spec} plays as recorded`, () => {
      const file = playthroughFileName(spec);
      const path = join(DIR, file);
      if (!existsSync(path)) expect.fail(`${spec} has no golden playthrough (${FIXTURES}/${file}). Record it with \`npm run make-playthroughs\`.`);
      const difference = firstPlaythroughDifference(readFileSync(path, 'utf8'), recordPlaythrough(createGame(spec)));
      if (difference) expect.fail(describeDifference(spec, file, difference));
    });
  }
});

describe('the recording seed', () => {
  // Random play seldom passes or swaps; the seed is chosen so the files show those rules too.
  for (const spec of specs.filter((s) => createGame(s).actionLayout.globals.length > 0)) {
    it(`makes the ${spec} playthrough play every global action`, () => {
      const game = createGame(spec);
      const text = readFileSync(join(DIR, playthroughFileName(spec)), 'utf8');
      for (let a = game.numActions - game.actionLayout.globals.length; a < game.numActions; a++) {
        expect(text).toContain(`play: ${game.actionToString(a)} (action ${a})`);
      }
    });
  }

  it('is the plain one for games without global actions, and an explicit seed wins', () => {
    expect(defaultPlaythroughSeed(createGame('connect4'))).toBe('playthrough/connect4');
    expect(recordPlaythrough(createGame('othello:size=6'), { games: 1, seed: 'mine' })).toContain('\nseed: mine\n\n## game 1 of 1 (seed mine/1)\n');
  });
});

describe('firstPlaythroughDifference', () => {
  const text = recordPlaythrough(createGame('tictactoe'), { games: 2, seed: 'unit' });
  const lines = text.split('\n');

  it('finds none between a recording and itself, whatever the line endings', () => {
    expect(firstPlaythroughDifference(text, recordPlaythrough(createGame('tictactoe'), { games: 2, seed: 'unit' }))).toBeNull();
    expect(firstPlaythroughDifference(text.replace(/\n/g, '\r\n'), text)).toBeNull();
  });

  it('names the game, the ply and both versions of the first differing line', () => {
    const game2 = lines.indexOf('## game 2 of 2 (seed unit/2)');
    const hashLine = lines.findIndex((line, i) => i > game2 && line.startsWith('hash: ') && lines.slice(game2, i).includes('### ply 3'));
    const changed = lines.slice();
    changed[hashLine] = 'hash: 1';
    expect(firstPlaythroughDifference(text, changed.join('\n'))).toEqual({ line: hashLine + 1, game: 2, ply: 3, expected: lines[hashLine], actual: 'hash: 1' });
  });

  it('reports a header change and a recording cut short', () => {
    expect(firstPlaythroughDifference(text, text.replace('players: 2', 'players: 3'))).toMatchObject({ game: null, ply: null, expected: 'players: 2', actual: 'players: 3' });
    const cut = lines.slice(0, 40).join('\n');
    expect(firstPlaythroughDifference(text, cut)).toMatchObject({ line: 41, expected: lines[40], actual: null });
  });

  it('records what each state promises: moves, board, mover, legal moves, encoding, hash, outcome', () => {
    const game = createGame('tictactoe');
    expect(text).toContain('encoding planes: own:stone opp:stone cell:exists');
    const single = recordPlaythrough(game, { games: 1, seed: 'unit' });
    expect(single).toMatch(/^### ply 0\nmoves: \(none\)\nboard:\n {2}\| {3}a b c\n/m);
    expect(single).toMatch(/^to move: 0\nlegal \(9\): a1 b1 c1 a2 b2 c2 a3 b3 c3\nencoding: [0-9a-f]{8}; non-zero cells own:stone=0 opp:stone=0 cell:exists=9\nhash: 0\nterminal: false$/m);
    expect(single).toMatch(/^terminal: true\nreturns: (1 -1|-1 1|0 0)\nfinal moves: /m);
  });
});
