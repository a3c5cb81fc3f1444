import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/index.js';
import {
  BUILTINS, checkProgram, exprSize, fromJson, parseExpr, parseProgram, primitives, printExpr, printProgram, programSize, replaceAt,
  subexpressions, toJson, typedSubexpressions, typeToString, call, num, v, lambda, ifExpr, letExpr, bool, ref, primitiveFactories,
  type Expr, type Program, type ProgramType,
} from '../../src/programs/index.js';

const GREEDY = readFileSync('programs/greedy.arb', 'utf8');
const TACTICS = readFileSync('programs/tactics-value.arb', 'utf8');
const EXAMPLE_PROGRAMS = ['net-solver.arb', 'net-alphabeta.arb', 'lines-value.arb'].map((f) => readFileSync(`programs/${f}`, 'utf8'));

/** Programs written by hand: every form of the grammar, typed and untyped lambdas, comments, defines. */
const HAND_WRITTEN = [
  GREEDY,
  TACTICS,
  ...EXAMPLE_PROGRAMS,
  '(program value (net-value "runs/my \\"best\\" net\\\\c4" pos))',
  '(program policy (argmax (legal-moves pos) (lambda (m) (+ (net-prior "lib:a" pos m) (pattern-at "lib:a/stem" pos m 3)))))',
  '(program policy (argmax (legal-moves pos) (lambda (m) (move-col m))))',
  '(program policy (one-hot (argmin (legal-moves pos) (lambda ((m move)) (abs (- (move-col m) 3))))))',
  '(program policy (softmax (legal-moves pos) (lambda (m) (if (win-now? pos m) 10 0)) 0.5))',
  '(program value (squash (/ (num-moves pos) 0)))',
  '(program value (clip (* -1.5e-3 (num-moves pos) 2 (max 1 2 3))))',
  `; comment line
   (define (f (x number) (b boolean)) (if (and b (not (< x 0)) (or (= x 1) (>= x 2))) x (neg x)))
   (define (g (p position) (m move)) (f (num-moves (after p m)) (win-now? p m)))
   (program value ; trailing comment
     (let ((n (num-moves pos)) (k (+ n 1)))
       (clip (- (f k true) (count (legal-moves pos) (lambda (m) (> (g pos m) 2)))))))`,
];

/** Every primitive and built-in applied once: the round trip covers them all. */
function everyOperation(): Program[] {
  const examples: Partial<Record<ProgramType & string, Expr>> = {
    number: num(2),
    value: call('clip', num(0.5)),
    boolean: bool(true),
    move: call('argmax', call('legal-moves', v('pos')), lambda([{ name: 'm' }], call('move-col', v('m')))),
    moves: call('legal-moves', v('pos')),
    position: v('pos'),
  };
  const argFor = (t: ProgramType): Expr => {
    if (typeof t !== 'string') return lambda(t.args.map((a, i) => ({ name: `x${i}`, type: a })), examples[t.result as 'number'] ?? num(0));
    return examples[t as 'number'] as Expr;
  };
  const wrap = (e: Expr, t: ProgramType): Program => {
    if (t === 'move' || t === 'policy') return { yields: 'policy', defines: [], body: e };
    if (t === 'value') return { yields: 'value', defines: [], body: e };
    if (t === 'boolean') return { yields: 'value', defines: [], body: ifExpr(e, call('clip', num(1)), call('clip', num(0))) };
    if (t === 'number') return { yields: 'value', defines: [], body: call('squash', e) };
    return { yields: 'value', defines: [], body: letExpr([{ name: 'x', value: e }], call('clip', num(0))) };
  };
  const out: Program[] = [];
  for (const p of primitives.values()) out.push(wrap(call(p.name, ...p.args.map(argFor)), p.result));
  for (const f of primitiveFactories.values()) out.push(wrap(call(f.name, ref('lib:c4-family'), ...f.args.map(argFor)), f.result));
  for (const [name, b] of Object.entries(BUILTINS)) {
    const args = b.variadic ? [argFor(b.variadic), argFor(b.variadic), argFor(b.variadic)] : b.sameScalar ? [num(1), num(2)] : (b.args ?? []).map(argFor);
    out.push(wrap(call(name, ...args), b.result));
  }
  return out;
}

/** A random well-typed expression of type `t` (depth-bounded): the property-style round trip. */
function randomExpr(t: ProgramType, depth: number, rng: Rng, vars: Map<string, ProgramType>): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const ofType = [...vars].filter(([, vt]) => vt === t).map(([n]) => n);
  const leaf = (): Expr | undefined => {
    if (t === 'number') return rng.next() < 0.3 && ofType.length ? v(pick(ofType)) : num(pick([0, 1, -2, 0.25, 1e-7, 123456, -3.5]));
    if (t === 'boolean') return bool(rng.next() < 0.5);
    if (ofType.length) return v(pick(ofType));
    return undefined;
  };
  const l = leaf();
  if (depth <= 0 && l) return l;
  const sub = (tt: ProgramType) => randomExpr(tt, depth - 1, rng, vars);
  const withVar = (name: string, vt: ProgramType, body: () => Expr): Expr => {
    const saved = vars.get(name);
    vars.set(name, vt);
    const e = body();
    if (saved === undefined) vars.delete(name);
    else vars.set(name, saved);
    return e;
  };
  const choices: (() => Expr)[] = [];
  if (l) choices.push(() => l);
  // Past the depth, only forms that do not grow the same type again (so generation ends).
  if (depth > 0) choices.push(() => ifExpr(sub('boolean'), sub(t), sub(t)));
  const name = `x${depth}`;
  if (t !== 'moves' && depth > 0) choices.push(() => { const value = sub('number'); return letExpr([{ name, value }], withVar(name, 'number', () => sub(t))); });
  switch (t) {
    case 'number':
      choices.push(() => call(pick(['+', '*', 'min', 'max']), sub('number'), sub('number'), sub('number')), () => call(pick(['-', '/']), sub('number'), sub('number')));
      choices.push(() => call(pick(['neg', 'abs']), sub('number')), () => call('num-moves', sub('position')), () => call('move-col', sub('move')));
      choices.push(() => call('count', sub('moves'), lambda([{ name: `m${depth}` }], withVar(`m${depth}`, 'move', () => sub('boolean')))));
      break;
    case 'boolean':
      choices.push(() => call(pick(['<', '<=', '>', '>=', '=']), sub('number'), sub('number')), () => call(pick(['and', 'or']), sub('boolean'), sub('boolean')));
      choices.push(() => call('not', sub('boolean')), () => call('win-now?', v('pos'), sub('move')));
      break;
    case 'move':
      choices.push(() => call(pick(['argmax', 'argmin']), sub('moves'), lambda([{ name: `m${depth}`, type: rng.next() < 0.5 ? 'move' : undefined }], withVar(`m${depth}`, 'move', () => sub('number')))));
      break;
    case 'moves':
      choices.push(() => call('legal-moves', sub('position')));
      break;
    case 'position':
      choices.push(() => v('pos'));
      break;
    case 'value':
      choices.push(() => call(pick(['squash', 'clip']), sub('number')));
      break;
    case 'policy':
      choices.push(() => call('one-hot', sub('move')), () => call('softmax', sub('moves'), lambda([{ name: `m${depth}` }], withVar(`m${depth}`, 'move', () => sub('number'))), sub('number')));
      break;
  }
  const e = pick(choices)();
  // Lambda parameters that are undefined-typed must be absent, as the parser makes them.
  return JSON.parse(JSON.stringify(e)) as Expr;
}

describe('program text: parse and print', () => {
  it('round-trips every hand-written program exactly, and printing is stable', () => {
    for (const text of HAND_WRITTEN) {
      const p = parseProgram(text);
      const printed = printProgram(p);
      expect(parseProgram(printed)).toEqual(p);
      expect(printProgram(parseProgram(printed))).toBe(printed);
      checkProgram(p);
    }
  });

  it('round-trips a program using every primitive and every built-in, and each one type-checks', () => {
    const all = everyOperation();
    expect(all.length).toBe(primitives.names().length + primitiveFactories.names().length + Object.keys(BUILTINS).length);
    expect(primitiveFactories.names()).toEqual(['net-value', 'net-policy', 'net-prior', 'pattern-at', 'pattern-max']);
    for (const p of all) {
      checkProgram(p);
      expect(parseProgram(printProgram(p))).toEqual(p);
      expect(fromJson(JSON.parse(JSON.stringify(toJson(p))))).toEqual(p);
    }
  });

  it('round-trips 300 random well-typed programs through text and JSON', () => {
    const rng = createRng('round-trip');
    const types: ProgramType[] = ['move', 'policy', 'value'];
    let nodes = 0;
    for (let i = 0; i < 300; i++) {
      const t = types[i % 3];
      const body = randomExpr(t, 2 + (i % 4), rng, new Map([['pos', 'position']]));
      const p: Program = { yields: t === 'value' ? 'value' : 'policy', defines: [], body };
      expect(checkProgram(p)).toBe(t);
      const text = printProgram(p);
      const back = parseProgram(text);
      expect(back).toEqual(p);
      expect(printProgram(back)).toBe(text);
      expect(fromJson(JSON.parse(JSON.stringify(toJson(p))))).toEqual(p);
      nodes += programSize(p);
    }
    expect(nodes).toBeGreaterThan(3000);
  });

  it('keeps long forms readable: lines are broken and indented, and still read back the same', () => {
    const p = parseProgram(GREEDY);
    const printed = printProgram(p);
    expect(printed.split('\n').length).toBeGreaterThan(3);
    expect(Math.max(...printed.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(printed).toContain('(define (centre-distance (m move))');
  });
});

describe('syntax errors name line:column and what was expected', () => {
  const cases: [string, string][] = [
    ['(program policy (argmax (legal-moves pos) (lambda (m) (move-col m)))', 'x.arb:1:69: expected `)` to close the `(` at 1:1, found the end of the file'],
    ['(program policy\n  (argmax (legal-moves pos)))\n)', 'x.arb:3:1: expected an expression or the end of the file, found an unmatched `)`'],
    ['(program strategy 1)', 'x.arb:1:10: expected policy or value after `program`, found `strategy`'],
    ['(define (f (x integer)) x)\n(program value (clip 1))', 'x.arb:1:15: expected a type (number, boolean, move, moves, position, policy, value or (-> ARG... RESULT)), found `integer`'],
    ['(program value\n  (let (x 1) (clip x)))', 'x.arb:2:9: expected a binding (NAME EXPR), found `x`'],
    ['(program value (if true (clip 1)))', 'x.arb:1:33: expected the else-branch in (if ...), found `)`'],
    ['(program value (clip 1) (clip 2))', 'x.arb:1:25: expected `)` after the program body, found (clip ...)'],
    ['; nothing here\n', 'x.arb:2:1: expected (program policy|value BODY), found the end of the file'],
    ['(program value (clip Foo))', 'x.arb:1:22: expected a number, a name (lower-case letters, digits, \'-\', optional \'?\') or an operator, found `Foo`'],
    ['(program value (let ((if 1)) (clip 1)))', 'x.arb:1:23: expected a variable name, found the reserved word `if`'],
    ['(program value (clip 1))\n(program value (clip 2))', 'x.arb:2:1: expected the end of the file after (program ...), found (program ...)'],
    ['(program value (net-value "lib:c4 pos))', 'x.arb:1:27: expected a closing `"` for the reference on the same line, found the end of the line'],
    ['(program value (net-value "" pos))', 'x.arb:1:27: expected a reference inside the quotes ("lib:NAME" or a checkpoint folder), found ""'],
    ['(program value (net-value "a\\n" pos))', 'x.arb:1:29: expected \\" or \\\\ after \\ in a reference, found \\n'],
    ['(program value (let (("x" 1)) (clip 1)))', 'x.arb:1:23: expected a variable name, found the reference "x"'],
    ['(program value ("lib:a" pos))', 'x.arb:1:17: expected a function name after `(`, found the reference "lib:a"'],
  ];
  it.each(cases)('%j', (text, message) => {
    expect(() => parseProgram(text, 'x.arb')).toThrow(message);
  });
});

describe('type errors name the node, the expected and the found type', () => {
  const cases: [string, string][] = [
    ['(program policy (argmax (legal-moves pos) (lambda (m) (win-now? pos m))))', 'x.arb:1:55: the lambda body expects number, found boolean'],
    ['(program value (+ 1 2))', 'x.arb:1:16: a value program\'s body expects value, found number (make one with (squash X) or (clip X))'],
    ['(program policy (clip 1))', 'x.arb:1:17: a policy program\'s body expects move or policy, found value'],
    ['(program value (clip (num-moves 3)))', 'x.arb:1:33: (num-moves ...) argument 1 expects position, found number'],
    ['(program value (clip (after pos)))', 'x.arb:1:22: (after ...) expects 2 argument(s) (position move), found 1'],
    ['(program value (clip (frobnicate pos)))', 'x.arb:1:22: unknown function frobnicate; the built-ins and primitives are listed in docs/programs.md'],
    ['(program value (clip (num-move pos)))', 'x.arb:1:22: unknown function num-move; did you mean num-moves?'],
    ['(program value (clip n))', 'x.arb:1:22: unknown variable n; in scope: pos'],
    ['(program value (if 1 (clip 1) (clip 0)))', 'x.arb:1:20: the condition of if expects boolean, found number'],
    ['(program policy (if true (legal-moves pos) 0))', 'x.arb:1:44: the else-branch of if expects moves (the then-branch\'s type), found number'],
    ['(program value (clip (lambda (m) 1)))', 'x.arb:1:22: a lambda may appear only as an argument that takes a function; here number is expected'],
    ['(program policy (argmax (legal-moves pos) (lambda ((m number)) 1)))', 'x.arb:1:43: lambda parameter m expects move, found number'],
    ['(program value (clip (= 1 true)))', 'x.arb:1:27: (= ...) argument 2 expects number (argument 1\'s type), found boolean'],
    ['(define (f (p position)) (legal-moves p))\n(program value (clip 1))', 'x.arb:1:26: define f returns moves; a defined function returns number, value, boolean or move'],
    ['(define (after (p position)) 1)\n(program value (clip 1))', 'x.arb:1:30: define after: the name is taken by a primitive; choose another'],
    ['(define (f (x number)) (f x))\n(program value (clip 1))', 'x.arb:1:24: unknown function f'],
    ['(program value (net-value "lib:a" 3))', 'x.arb:1:35: (net-value ...) argument 2 expects position, found number'],
    ['(program value (net-value pos))', 'x.arb:1:27: (net-value ...) argument 1 expects a network reference in quotes, as in (net-value "lib:NAME" position), found the variable pos (a reference is a literal in quotes, not a variable)'],
    ['(program value (net-value))', 'x.arb:1:16: (net-value ...) argument 1 expects a network reference in quotes, as in (net-value "lib:NAME" position), found no argument'],
    ['(program value (net-value "lib:a" pos pos))', 'x.arb:1:16: (net-value ...) expects a reference and 1 argument(s), as in (net-value "lib:NAME" position), found 3 argument(s)'],
    ['(program value (clip (pattern-max "lib:a" pos)))', 'x.arb:1:22: (pattern-max ...) expects a reference and 2 argument(s), as in (pattern-max "lib:NAME" position number), found 2 argument(s)'],
    ['(program value (let ((n "lib:a")) (net-value n pos)))', 'x.arb:1:25: the reference "lib:a" may appear only as the first argument of a primitive that takes one (net-value, net-policy, net-prior, pattern-at, pattern-max)'],
    ['(program value (clip (num-moves "lib:a")))', 'x.arb:1:33: the reference "lib:a" may appear only as the first argument'],
    ['(program value (net-valu "lib:a" pos))', 'x.arb:1:16: unknown function net-valu; did you mean net-value?'],
    ['(define (net-prior (x number)) x)\n(program value (clip 1))', 'x.arb:1:32: define net-prior: the name is taken by a primitive; choose another'],
  ];
  it.each(cases)('%j', (text, message) => {
    expect(() => checkProgram(parseProgram(text, 'x.arb'), { source: 'x.arb' })).toThrow(message);
  });
});

describe('JSON form', () => {
  it('round-trips and refuses malformed input naming the path', () => {
    const p = parseProgram(GREEDY);
    const json = JSON.parse(JSON.stringify(toJson(p)));
    expect(fromJson(json)).toEqual(p);
    expect(() => fromJson({ ...json, version: 2 }, 'g.json')).toThrow('g.json: not an arbor program in JSON form at version');
    const bad = JSON.parse(JSON.stringify(json));
    bad.program.body.args[1].body = { kind: 'number', value: 'ten' };
    expect(() => fromJson(bad, 'g.json')).toThrow('at program.body.args.1.body.value');
    const badName = JSON.parse(JSON.stringify(json));
    badName.program.defines[0].name = 'Centre';
    expect(() => fromJson(badName, 'g.json')).toThrow('"Centre" is not a name');
  });

  it('keeps references as {kind: "ref"} nodes and refuses empty or multi-line ones', () => {
    const p = parseProgram('(program value (net-value "lib:c4-family" pos))');
    const json = JSON.parse(JSON.stringify(toJson(p)));
    expect(json.program.body).toEqual({ kind: 'call', op: 'net-value', args: [{ kind: 'ref', value: 'lib:c4-family' }, { kind: 'var', name: 'pos' }] });
    expect(fromJson(json)).toEqual(p);
    json.program.body.args[0].value = 'a\nb';
    expect(() => fromJson(json, 'n.json')).toThrow('n.json: not an arbor program in JSON form at program.body.args.0.value: a reference holds no line breaks');
    json.program.body.args[0].value = '';
    expect(() => fromJson(json, 'n.json')).toThrow('at program.body.args.0.value: a reference is not empty');
  });
});

describe('the AST for synthesis', () => {
  it('lists every subtree with its type, sizes and replaces subtrees', () => {
    const p = parseProgram('(program policy (argmax (legal-moves pos) (lambda (m) (+ (move-col m) 1))))');
    const typed = typedSubexpressions(p);
    expect(typed.map((t) => `${printExpr(t.expr)} : ${typeToString(t.type)}`)).toEqual([
      'pos : position',
      '(legal-moves pos) : moves',
      'm : move',
      '(move-col m) : number',
      '1 : number',
      '(+ (move-col m) 1) : number',
      '(lambda (m) (+ (move-col m) 1)) : (-> move number)',
      '(argmax (legal-moves pos) (lambda (m) (+ (move-col m) 1))) : move',
    ]);
    expect(exprSize(p.body)).toBe(8);
    expect(subexpressions(p.body).length).toBe(8);
    const path = typed.find((t) => printExpr(t.expr) === '1')?.path as number[];
    const changed = replaceAt(p.body, path, call('neg', num(2)));
    expect(printExpr(changed)).toBe('(argmax (legal-moves pos) (lambda (m) (+ (move-col m) (neg 2))))');
    expect(printExpr(p.body)).toBe('(argmax (legal-moves pos) (lambda (m) (+ (move-col m) 1)))');
    expect(parseExpr('(+ 1 2)')).toEqual(call('+', num(1), num(2)));
  });
});
