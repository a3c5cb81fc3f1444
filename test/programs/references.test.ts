import { describe, expect, it } from 'vitest';
import { ArborError, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import {
  compileProgram, NO_REFERENCES, parseProgram, prepareReferences, printProgram, programReferences, type FactoryLookup, type PrimitiveFactory, type Position,
} from '../../src/programs/index.js';

/**
 * Reference literals bind a program's network primitives: the loader prepares each distinct
 * (primitive, reference) pair once, compiles the calls against what was prepared and closes it
 * all; here with stand-in factories (no network), so the wiring is tested on its own.
 */

/** A factory whose "network" answers a constant named by the reference (`"const:0.25"`), counting prepares and closes. */
function constantFactory(name: string, log: string[]): PrimitiveFactory {
  return {
    name, args: ['position'], result: 'value', pure: true, doc: `(${name} REF pos): the constant of REF`,
    async prepare(ref: string, game: Game) {
      if (!ref.startsWith('const:')) throw new ArborError(`no network ${ref}`);
      log.push(`prepare ${name} ${ref} ${game.id}`);
      const value = Number(ref.slice(6));
      const calls = { n: 0 };
      return {
        primitive: {
          name, args: ['position'], result: 'value', pure: true, doc: '',
          fn: ((_ctx: unknown, _pos: Position) => {
            calls.n++;
            return value;
          }) as never,
        },
        close: () => log.push(`close ${name} ${ref} (${calls.n} calls)`),
      };
    },
  };
}

function lookupOf(list: PrimitiveFactory[]): FactoryLookup {
  return { find: (n) => list.find((f) => f.name === n), names: () => list.map((f) => f.name) };
}

describe('reference literals', () => {
  const game = createGame('tictactoe');
  const text = `(define (both (p position)) (+ (net-a "const:0.25" p) (net-a "const:0.5" p)))
(program value (clip (+ (both pos) (net-a "const:0.25" pos) (net-b "const:0.25" pos))))`;

  it('are found once per distinct primitive and reference, in order', () => {
    const log: string[] = [];
    const factories = lookupOf([constantFactory('net-a', log), constantFactory('net-b', log)]);
    expect(programReferences(parseProgram(text), factories)).toEqual([
      { primitive: 'net-a', ref: 'const:0.25' },
      { primitive: 'net-a', ref: 'const:0.5' },
      { primitive: 'net-b', ref: 'const:0.25' },
    ]);
    expect(programReferences(parseProgram('(program value (clip 1))'), factories)).toEqual([]);
  });

  it('are prepared once each, compiled against, cached per network, and closed', async () => {
    const log: string[] = [];
    const factories = lookupOf([constantFactory('net-a', log), constantFactory('net-b', log)]);
    const program = parseProgram(text);
    const references = await prepareReferences(program, game, { factories });
    expect(log).toEqual(['prepare net-a const:0.25 tictactoe', 'prepare net-a const:0.5 tictactoe', 'prepare net-b const:0.25 tictactoe']);
    const compiled = compileProgram(program, game, { factories, references });
    const unlimited = { nodes: Infinity, simulations: Infinity, deadline: Infinity };
    // 0.25 + 0.5 + 0.25 + 0.25, clipped: each call site reads its own network, although all
    // four are pure calls on the same position (the cache keys them by primitive, not by name).
    expect(compiled.run(game.newInitialState(), unlimited)).toBe(1);
    const half = parseProgram('(program value (clip (- (net-a "const:0.5" pos) (net-a "const:0.25" pos))))');
    const halfRefs = await prepareReferences(half, game, { factories });
    expect(compileProgram(half, game, { factories, references: halfRefs }).run(game.newInitialState(), unlimited)).toBe(0.25);
    references.close();
    expect(log.slice(-3)).toEqual(['close net-a const:0.25 (1 calls)', 'close net-a const:0.5 (1 calls)', 'close net-b const:0.25 (1 calls)']);
    halfRefs.close();
  });

  it('refuse to compile unprepared, and name the call when a reference cannot be prepared', async () => {
    const log: string[] = [];
    const factories = lookupOf([constantFactory('net-a', log)]);
    const program = parseProgram('(program value (net-a "const:1" pos))', 'p.arb');
    expect(() => compileProgram(program, game, { factories, references: NO_REFERENCES, source: 'p.arb' }))
      .toThrow('p.arb:1:16: (net-a "const:1" ...) was not prepared; load the program with prepareReferences before compiling it');
    const broken = parseProgram('(program value (clip (+ (net-a "const:1" pos) (net-a "runs/missing" pos))))');
    await expect(prepareReferences(broken, game, { factories, source: 'b.arb' })).rejects.toThrow('b.arb: (net-a "runs/missing" ...) on tictactoe: no network runs/missing');
    // The one prepared before the failure was closed.
    expect(log).toEqual(['prepare net-a const:1 tictactoe', 'close net-a const:1 (0 calls)']);
  });

  it('print as they were written', () => {
    const p = parseProgram('(program value (net-a "lib:c4-family" pos))');
    expect(printProgram(p)).toBe('(program value (net-a "lib:c4-family" pos))\n');
  });
});
