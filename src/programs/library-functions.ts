import { ArborError } from '../core/index.js';
import { isFunctionType, typeToString, type Define, type Expr, type Lambda } from './ast.js';
import { parseExpr, parseProgram } from './parse.js';
import { printExpr } from './print.js';
import type { FunctionType, ProgramType } from './types.js';

/**
 * A library function: a named, typed function of the agent language, stored in the library as a
 * `program` entry whose type is a function type (`(-> position number number)`). `arbor library
 * abstract` makes them from sub-programs that recur across games (Stitch, Bowers et al. POPL 2023);
 * `arbor synth --library on` treats each as a primitive of size one (DreamCoder's library, Ellis et
 * al. PLDI 2021), and a program that calls one carries it as a `define`, so the program's text is
 * self-contained and plays without the library.
 *
 * Stored form: the entry's type is `typeToString(type)`; its text is the body as a lambda with
 * typed parameters, `(lambda ((p position) (n number)) BODY)`.
 */
export interface LibraryFunction {
  /** The entry's name; also the function's name in program text, so letters, digits and `-` only. */
  readonly name: string;
  readonly type: FunctionType;
  /** `(lambda ((a T) ...) BODY)`: one typed parameter per argument of `type`, in order. */
  readonly body: Lambda;
}

/** Results a `define` may return (check.ts): a function returning anything else cannot be carried in a program. */
const SCALAR_RESULTS: readonly ProgramType[] = ['number', 'value', 'boolean', 'move'];

/** A function name in program text: the language's name rule (see docs/programs.md). */
const FUNCTION_NAME = /^[a-z][a-z0-9-]*\??$/;

/** The text stored in the library for `fn` (its lambda). */
export function libraryFunctionText(fn: LibraryFunction): string {
  return printExpr(fn.body);
}

/** The entry type stored in the library for `fn`, e.g. `(-> position number number)`. */
export function libraryFunctionType(fn: LibraryFunction): string {
  return typeToString(fn.type);
}

/** Whether a library `program` entry's type names a function (the others are whole programs: `policy`, `value`). */
export function isFunctionEntryType(type: string): boolean {
  return type.trimStart().startsWith('(->');
}

/** Reads a function type written as in program text, `(-> position number number)`. */
export function parseFunctionType(text: string, source = '<type>'): FunctionType {
  // The parser reads types in `define` parameters; a one-parameter define of that type is the cheapest way in.
  let type: ProgramType;
  try {
    type = parseProgram(`(define (probe (x ${text})) 0) (program value (squash 0))`, source).defines[0].params[0].type;
  } catch (e) {
    throw new ArborError(`${source}: "${text}" is not a type of the agent language (${(e as Error).message}); write e.g. (-> position number number)`);
  }
  if (!isFunctionType(type)) throw new ArborError(`${source}: type ${text} is not a function type; a library function's type is written (-> ARG... RESULT)`);
  return type;
}

/**
 * A library function from its stored name, type and text. Checks that the text is a lambda with
 * one typed parameter per argument of the type, the types agreeing.
 */
export function parseLibraryFunction(name: string, typeText: string, text: string): LibraryFunction {
  const source = `lib:${name}`;
  if (!FUNCTION_NAME.test(name)) throw new ArborError(`${source}: a library function's name must be a name of the agent language (lower-case letters, digits and -), found "${name}"`);
  const type = parseFunctionType(typeText, source);
  const body: Expr = parseExpr(text, source);
  if (body.kind !== 'lambda') throw new ArborError(`${source}: a library function's text is (lambda ((a TYPE) ...) BODY), found a ${body.kind}`);
  if (body.params.length !== type.args.length) throw new ArborError(`${source}: the lambda has ${body.params.length} parameter(s) but the type ${typeText} has ${type.args.length} argument(s)`);
  body.params.forEach((p, i) => {
    if (p.type === undefined) throw new ArborError(`${source}: lambda parameter ${p.name} has no type; write (${p.name} ${typeToString(type.args[i])})`);
    if (typeToString(p.type) !== typeToString(type.args[i])) throw new ArborError(`${source}: lambda parameter ${p.name} is ${typeToString(p.type)} but the type says ${typeToString(type.args[i])}`);
  });
  return { name, type, body };
}

/** Whether a program can carry `fn` as a `define` (defines return scalars and take no function arguments). */
export function isDefinable(fn: LibraryFunction): boolean {
  return SCALAR_RESULTS.includes(fn.type.result) && fn.type.args.every((a) => !isFunctionType(a));
}

/** `fn` as a `define` of a program, so a program calling it is self-contained. */
export function libraryFunctionDefine(fn: LibraryFunction): Define {
  if (!isDefinable(fn)) throw new ArborError(`library function ${fn.name} has type ${typeToString(fn.type)}; only functions of non-function arguments returning number, value, boolean or move can be defined in a program`);
  return { name: fn.name, params: fn.body.params.map((p, i) => ({ name: p.name, type: fn.type.args[i] })), body: fn.body.body };
}
