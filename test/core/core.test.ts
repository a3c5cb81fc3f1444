import { describe, expect, it } from 'vitest';
import { closestName, createAgent, isArborError, loadModel, modelScheme, parseSpec, Registry, unknownNameMessage } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isArborError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an ArborError');
}

describe('core registry', () => {
  it('refuses a second registration under one name instead of overwriting', () => {
    const r = new Registry<number>('widget');
    r.register('a', 1);
    expect(errorOf(() => r.register('a', 2))).toMatch(/widget "a" is registered twice/);
    expect(r.get('a')).toBe(1);
  });

  it('names the available entries and the nearest one for an unknown name', () => {
    const r = new Registry<number>('game');
    r.register('connect4', 1);
    r.register('othello', 2);
    expect(errorOf(() => r.get('conect4'))).toBe('unknown game "conect4"; did you mean connect4? available: connect4, othello');
    expect(errorOf(() => r.get('zzz'))).toBe('unknown game "zzz"; available: connect4, othello');
  });

  it('suggests typos, not unrelated names', () => {
    expect(closestName('gumbell', ['mcts', 'gumbel', 'uct'])).toBe('gumbel');
    expect(closestName('mtcs', ['mcts', 'gumbel', 'uct'])).toBe('mcts');
    expect(closestName('breakthrough', ['mcts', 'gumbel', 'uct'])).toBeUndefined();
    expect(unknownNameMessage('agent', 'x', [])).toMatch(/available: \(none\)/);
  });

  it('records the registering module of each entry once', () => {
    const r = new Registry<number>('thing');
    r.register('a', 1, 'file:///x.js');
    r.register('b', 2, 'file:///x.js');
    r.register('c', 3);
    expect(r.originModules()).toEqual(['file:///x.js']);
  });
});

describe('game and agent names through the registries', () => {
  it('unknown game and agent names get a did-you-mean', async () => {
    expect(errorOf(() => createGame('conect4'))).toMatch(/did you mean connect4\?/);
    const game = createGame('tictactoe');
    await expect(createAgent('gredy', { game, seed: 's' })).rejects.toThrow(/did you mean greedy\?/);
  });
});

describe('spec strings', () => {
  it('parse names and options', () => {
    const spec = parseSpec('connect4:rows=5,cols=6', 'game');
    expect(spec.name).toBe('connect4');
    expect([...spec.options]).toEqual([
      ['rows', '5'],
      ['cols', '6'],
    ]);
  });
});

describe('model references', () => {
  it('have a scheme; paths (also Windows drive paths) are files', () => {
    expect(modelScheme('lib:c4-trunk')).toBe('lib');
    expect(modelScheme('runs/c4')).toBe('file');
    expect(modelScheme('C:\\runs\\c4')).toBe('file');
    expect(modelScheme('/abs/run')).toBe('file');
  });

  it('a scheme nobody registered is one clear error', async () => {
    const game = createGame('tictactoe');
    await expect(loadModel('nosuch:thing', game)).rejects.toThrow(/no loader for "nosuch:" references/);
  });
});
