import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ArborError, closestName, createAgent, defaultWorkers, defineParams, describeParams, isArborError, loadModel, modelScheme, parseSpec, Registry, resolveParams, unknownNameMessage } from '../../src/core/index.js';
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

  it('refuse empty parameters: two commas in a row, a trailing comma, a comma right after the colon', () => {
    expect(() => parseSpec('connect4:rows=6,,cols=7', 'game')).toThrow('malformed game spec "connect4:rows=6,,cols=7": empty parameter (two commas in a row); write key=value pairs separated by single commas');
    expect(() => parseSpec('connect4:rows=6,cols=7,', 'game')).toThrow(/empty parameter \(a trailing comma\)/);
    expect(() => parseSpec('connect4:rows=6, ,cols=7', 'game')).toThrow(/empty parameter \(two commas in a row\)/);
    expect(() => parseSpec('uct:,simulations=5', 'agent')).toThrow(/malformed agent spec .*empty parameter \(a comma right after the ':'\)/);
    expect(() => createGame('connect4:rows=6,,cols=7')).toThrow(ArborError);
    // Commas inside brackets belong to the value.
    expect(parseSpec('x:path=[a,b],n=1', 'agent').options.get('path')).toBe('[a,b]');
  });
});

describe('spec parameters (zod)', () => {
  const params = defineParams({
    count: { type: 'int', default: 4, min: 1, max: 9, description: 'how many' },
    rate: { type: 'float', default: 0.5, min: 0, max: 1, description: 'a share' },
    fast: { type: 'bool', default: false, description: 'go fast' },
    mode: { type: 'string', default: 'a', choices: ['a', 'b'], description: 'which' },
    path: { type: 'string', default: '', description: 'free text' },
  });
  const resolve = (text: string) => resolveParams(parseSpec(text, 'agent'), params, 'agent', { renamed: { n: 'count' } });

  it('fill defaults and type the values', () => {
    expect(resolve('x')).toEqual({ count: 4, rate: 0.5, fast: false, mode: 'a', path: '' });
    const v = resolve('x:count=7,rate=.25,fast=yes,mode=b,path=/tmp/a=b');
    expect(v).toEqual({ count: 7, rate: 0.25, fast: true, mode: 'b', path: '/tmp/a=b' });
    const count: number = v.count;
    const mode: 'a' | 'b' = v.mode;
    expect([count, mode]).toEqual([7, 'b']);
  });

  it('name the key, the bad value and what is allowed, in one line', () => {
    expect(() => resolve('x:count=0')).toThrow(new ArborError('agent x: count=0 is out of range; allowed 1..9'));
    expect(() => resolve('x:count=2.5')).toThrow(new ArborError('agent x: count=2.5 is not an integer; allowed 1..9'));
    expect(() => resolve('x:count=many')).toThrow(new ArborError('agent x: count=many is not an integer; allowed 1..9'));
    expect(() => resolve('x:count=')).toThrow(new ArborError('agent x: count= is not an integer; allowed 1..9'));
    expect(() => resolve('x:count=0x5')).toThrow(/count=0x5 is not an integer/);
    expect(() => resolve('x:rate=1.5')).toThrow(new ArborError('agent x: rate=1.5 is out of range; allowed 0..1'));
    expect(() => resolve('x:rate=NaN')).toThrow(new ArborError('agent x: rate=NaN is not a number; allowed 0..1'));
    expect(() => resolve('x:fast=maybe')).toThrow(new ArborError('agent x: fast=maybe is not a boolean; use true or false'));
    expect(() => resolve('x:mode=c')).toThrow(new ArborError('agent x: mode=c is not allowed; choose one of a, b'));
    expect(() => resolve('x:speed=1')).toThrow(new ArborError('unknown agent option "speed" for x; allowed: count, rate, fast, mode, path'));
    expect(() => resolve('x:n=3')).toThrow(new ArborError('unknown agent option "n" for x; it is now count'));
  });

  it('refuse a definition whose default breaks its own rule', () => {
    expect(() => defineParams({ n: { type: 'int', default: 0, min: 1, max: 3, description: '' } })).toThrow(/parameter n: its default does not pass its own rule \(n=0 is out of range/);
  });

  it('are described for help texts: name, type, default, allowed, description', () => {
    expect(describeParams(params)).toEqual([
      { name: 'count', type: 'int', default: '4', allowed: '1..9', description: 'how many' },
      { name: 'rate', type: 'float', default: '0.5', allowed: '0..1', description: 'a share' },
      { name: 'fast', type: 'bool', default: 'false', allowed: 'true|false', description: 'go fast' },
      { name: 'mode', type: 'string', default: 'a', allowed: 'a|b', description: 'which' },
      { name: 'path', type: 'string', default: '', allowed: '', description: 'free text' },
    ]);
  });
});

describe('defaultWorkers', () => {
  it('is every core on one or two cores, one fewer above (arenas and self-play alike)', () => {
    const cores = availableParallelism();
    expect(defaultWorkers()).toBe(cores <= 2 ? cores : cores - 1);
    expect(defaultWorkers()).toBeGreaterThanOrEqual(1);
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
