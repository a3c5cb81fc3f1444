import { BASE_TYPES, RESERVED_WORDS, setSpan, type Binding, type Define, type Expr, type LambdaParam, type Program, type Span } from './ast.js';
import { ProgramSyntaxError } from './errors.js';
import type { BaseType, ProgramType } from './types.js';

/**
 * Reads program text (S-expressions) into the AST:
 *
 *   file    := define* program
 *   define  := (define (NAME (NAME type)*) expr)
 *   program := (program policy|value expr)          ; `pos` is the position
 *   expr    := NUMBER | true | false | NAME | REF
 *            | (if expr expr expr) | (let ((NAME expr)+) expr)
 *            | (lambda (param*) expr)                ; param := NAME | (NAME type)
 *            | (NAME expr*)                          ; built-in, primitive or defined function
 *   type    := number | boolean | move | moves | position | policy | value | (-> type* type)
 *   REF     := "..."     ; a network or stem reference, "lib:NAME" or a folder; `\"` and `\\` escape
 *
 * `;` starts a comment to the end of the line. Every error names `SOURCE:LINE:COLUMN` and what
 * was expected there.
 */

type SExpr = SAtom | SString | SList;

interface SAtom {
  readonly atom: string;
  readonly span: Span;
}

/** A double-quoted string: a resource reference (see ast.ts RefLit). */
interface SString {
  readonly str: string;
  readonly span: Span;
}

interface SList {
  readonly items: readonly SExpr[];
  readonly span: Span;
  /** Where the closing parenthesis is (for "expected ... before `)`" errors). */
  readonly end: Span;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NAME = /^([a-z][a-z0-9-]*[?]?|[+\-*/<>=]|<=|>=)$/;

/** Parses a whole program file. `source` names it in error messages (a path, or `<text>`). */
export function parseProgram(text: string, source = '<text>'): Program {
  const forms = readForms(text, source);
  const fail = (span: Span, detail: string): never => {
    throw new ProgramSyntaxError(source, span.line, span.column, detail);
  };
  const defines: Define[] = [];
  let program: Program | undefined;
  for (const form of forms) {
    if (program) fail(form.span, `expected the end of the file after (program ...), found ${describe(form)}`);
    if (!('items' in form) || form.items.length === 0 || !('atom' in form.items[0])) {
      fail(form.span, `expected (define ...) or (program policy|value ...), found ${describe(form)}`);
      continue;
    }
    const head = (form.items[0] as SAtom).atom;
    if (head === 'define') defines.push(readDefine(form, fail));
    else if (head === 'program') program = readProgramForm(form, defines, fail);
    else fail(form.span, `expected (define ...) or (program policy|value ...), found (${head} ...)`);
  }
  if (!program) {
    const lines = text.split('\n');
    fail({ line: lines.length, column: lines[lines.length - 1].length + 1 }, 'expected (program policy|value BODY), found the end of the file');
  }
  return program as Program;
}

/** Parses one expression (no `program` wrapper), e.g. for tests and the REPL-like `arbor move`. */
export function parseExpr(text: string, source = '<text>'): Expr {
  const forms = readForms(text, source);
  const fail = (span: Span, detail: string): never => {
    throw new ProgramSyntaxError(source, span.line, span.column, detail);
  };
  if (forms.length !== 1) fail(forms[1]?.span ?? { line: 1, column: 1 }, `expected one expression, found ${forms.length === 0 ? 'none' : describe(forms[1])}`);
  return readExpr(forms[0], fail);
}

/** Parses a type as program text writes it: `number`, `(-> position number value)`. */
export function parseType(text: string, source = '<type>'): ProgramType {
  const forms = readForms(text, source);
  const fail = (span: Span, detail: string): never => {
    throw new ProgramSyntaxError(source, span.line, span.column, detail);
  };
  if (forms.length !== 1) fail(forms[1]?.span ?? { line: 1, column: 1 }, `expected one type, found ${forms.length === 0 ? 'none' : describe(forms[1])}`);
  return readType(forms[0], fail);
}

type Fail = (span: Span, detail: string) => never;

function describe(form: SExpr): string {
  if ('atom' in form) return `\`${form.atom}\``;
  if ('str' in form) return `the reference ${JSON.stringify(form.str)}`;
  if (form.items.length === 0) return '()';
  const head = form.items[0];
  return 'atom' in head ? `(${head.atom} ...)` : 'a list';
}

function readProgramForm(form: SList, defines: Define[], fail: Fail): Program {
  const [, kind, body, extra] = form.items;
  if (!kind) fail(form.end, 'expected policy or value after `program`, found `)`');
  if (!('atom' in kind) || (kind.atom !== 'policy' && kind.atom !== 'value')) fail(kind.span, `expected policy or value after \`program\`, found ${describe(kind)}`);
  if (!body) fail(form.end, 'expected the program body, found `)`');
  if (extra) fail(extra.span, `expected \`)\` after the program body, found ${describe(extra)}`);
  return { yields: (kind as SAtom).atom as 'policy' | 'value', defines, body: readExpr(body, fail) };
}

function readDefine(form: SList, fail: Fail): Define {
  const [, head, body, extra] = form.items;
  if (!head || !('items' in head) || head.items.length === 0) {
    fail(head?.span ?? form.end, `expected (NAME (PARAM TYPE) ...) after \`define\`, found ${head ? describe(head) : '`)`'}`);
  }
  const [nameForm, ...paramForms] = (head as SList).items;
  const name = readName(nameForm, 'a function name', fail);
  const params = paramForms.map((p) => {
    if (!('items' in p) || p.items.length !== 2) fail(p.span, `expected a typed parameter (NAME TYPE), found ${describe(p)}`);
    const [pn, pt] = (p as SList).items;
    return { name: readName(pn, 'a parameter name', fail), type: readType(pt, fail) };
  });
  if (!body) fail(form.end, `expected the body of ${name}, found \`)\``);
  if (extra) fail(extra.span, `expected \`)\` after the body of ${name}, found ${describe(extra)}`);
  return { name, params, body: readExpr(body, fail) };
}

function readName(form: SExpr, what: string, fail: Fail): string {
  if (!('atom' in form) || !NAME.test(form.atom) || NUMBER.test(form.atom)) return fail(form.span, `expected ${what}, found ${describe(form)}`);
  if (RESERVED_WORDS.has(form.atom)) return fail(form.span, `expected ${what}, found the reserved word \`${form.atom}\``);
  return form.atom;
}

function readType(form: SExpr | undefined, fail: Fail, near?: Span): ProgramType {
  if (!form) return fail(near ?? { line: 1, column: 1 }, 'expected a type, found `)`');
  if ('atom' in form) {
    if ((BASE_TYPES as readonly string[]).includes(form.atom)) return form.atom as BaseType;
    return fail(form.span, `expected a type (${BASE_TYPES.join(', ')} or (-> ARG... RESULT)), found \`${form.atom}\``);
  }
  if ('str' in form) return fail(form.span, `expected a type (${BASE_TYPES.join(', ')} or (-> ARG... RESULT)), found ${describe(form)}`);
  const [arrow, ...rest] = form.items;
  if (!arrow || !('atom' in arrow) || arrow.atom !== '->' || rest.length === 0) {
    return fail(form.span, `expected a type (${BASE_TYPES.join(', ')} or (-> ARG... RESULT)), found ${describe(form)}`);
  }
  const types = rest.map((t) => readType(t, fail));
  return { args: types.slice(0, -1), result: types[types.length - 1] };
}

function readExpr(form: SExpr, fail: Fail): Expr {
  if ('str' in form) return setSpan({ kind: 'ref', value: form.str }, form.span);
  if ('atom' in form) {
    const text = form.atom;
    if (NUMBER.test(text)) {
      const value = Number(text);
      if (!Number.isFinite(value)) return fail(form.span, `expected a finite number, found \`${text}\``);
      // -0 reads as 0: the printer writes both as `0`, and equal text must mean equal programs.
      return setSpan({ kind: 'number', value: value === 0 ? 0 : value }, form.span);
    }
    if (text === 'true' || text === 'false') return setSpan({ kind: 'boolean', value: text === 'true' }, form.span);
    return setSpan({ kind: 'var', name: readName(form, 'an expression', fail) }, form.span);
  }
  const [head, ...rest] = form.items;
  if (!head) return fail(form.span, 'expected an expression, found ()');
  if (!('atom' in head)) return fail(head.span, `expected a function name after \`(\`, found ${describe(head)}`);
  const need = (i: number, what: string): SExpr => rest[i] ?? fail(form.end, `expected ${what} in (${head.atom} ...), found \`)\``);
  const noMore = (n: number): void => {
    if (rest.length > n) fail(rest[n].span, `expected \`)\` to close (${head.atom} ...), found ${describe(rest[n])}`);
  };
  switch (head.atom) {
    case 'if': {
      const test = readExpr(need(0, 'a condition'), fail);
      const then = readExpr(need(1, 'the then-branch'), fail);
      const otherwise = readExpr(need(2, 'the else-branch'), fail);
      noMore(3);
      return setSpan({ kind: 'if', test, then, else: otherwise }, form.span);
    }
    case 'let': {
      const list = need(0, 'bindings ((NAME EXPR) ...)');
      if (!('items' in list) || list.items.length === 0) return fail(list.span, `expected bindings ((NAME EXPR) ...), found ${describe(list)}`);
      const bindings: Binding[] = list.items.map((b) => {
        if (!('items' in b) || b.items.length !== 2) return fail(b.span, `expected a binding (NAME EXPR), found ${describe(b)}`);
        return { name: readName(b.items[0], 'a variable name', fail), value: readExpr(b.items[1], fail) };
      });
      const body = readExpr(need(1, 'the body'), fail);
      noMore(2);
      return setSpan({ kind: 'let', bindings, body }, form.span);
    }
    case 'lambda': {
      const list = need(0, 'parameters (NAME ...)');
      if (!('items' in list)) return fail(list.span, `expected parameters (NAME ...) or ((NAME TYPE) ...), found ${describe(list)}`);
      const params: LambdaParam[] = list.items.map((p) => {
        if (!('items' in p)) return { name: readName(p, 'a parameter name', fail) };
        if (p.items.length !== 2) return fail(p.span, `expected a parameter NAME or (NAME TYPE), found ${describe(p)}`);
        return { name: readName(p.items[0], 'a parameter name', fail), type: readType(p.items[1], fail) };
      });
      const body = readExpr(need(1, 'the body'), fail);
      noMore(2);
      return setSpan({ kind: 'lambda', params, body }, form.span);
    }
    case 'define':
    case 'program':
      return fail(head.span, `expected an expression, found (${head.atom} ...): it may appear only at the top level of a file`);
    default: {
      const op = readName(head, 'a function name', fail);
      return setSpan({ kind: 'call', op, args: rest.map((a) => readExpr(a, fail)) }, form.span);
    }
  }
}

/** Text -> S-expressions, with positions; brackets must balance. */
function readForms(text: string, source: string): SExpr[] {
  let line = 1;
  let column = 1;
  let i = 0;
  const fail = (l: number, c: number, detail: string): never => {
    throw new ProgramSyntaxError(source, l, c, detail);
  };
  const stack: { items: SExpr[]; span: Span }[] = [{ items: [], span: { line: 1, column: 1 } }];
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      column = 1;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      column++;
      continue;
    }
    if (ch === ';') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '(') {
      stack.push({ items: [], span: { line, column } });
      i++;
      column++;
      continue;
    }
    if (ch === '"') {
      const start = { line, column };
      let value = '';
      let j = i + 1;
      for (;;) {
        const c = text[j];
        if (c === undefined || c === '\n') fail(start.line, start.column, 'expected a closing `"` for the reference on the same line, found the end of the line');
        if (c === '"') break;
        if (c < ' ') fail(line, column + (j - i), 'expected a printable character in a reference, found a control character (a tab?)');
        if (c === '\\') {
          const next = text[j + 1];
          if (next !== '"' && next !== '\\') fail(line, column + (j - i), `expected \\" or \\\\ after \\ in a reference, found ${next === undefined || next === '\n' ? 'the end of the line' : `\\${next}`}`);
          value += next;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      if (value === '') fail(start.line, start.column, 'expected a reference inside the quotes ("lib:NAME" or a checkpoint folder), found ""');
      stack[stack.length - 1].items.push({ str: value, span: start });
      column += j + 1 - i;
      i = j + 1;
      continue;
    }
    if (ch === ')') {
      if (stack.length === 1) fail(line, column, 'expected an expression or the end of the file, found an unmatched `)`');
      const done = stack.pop() as { items: SExpr[]; span: Span };
      stack[stack.length - 1].items.push({ items: done.items, span: done.span, end: { line, column } });
      i++;
      column++;
      continue;
    }
    const start = { line, column };
    let j = i;
    while (j < text.length && !/[\s();"]/.test(text[j])) j++;
    const atom = text.slice(i, j);
    if (!NUMBER.test(atom) && !NAME.test(atom) && atom !== '->') {
      fail(start.line, start.column, `expected a number, a name (lower-case letters, digits, '-', optional '?') or an operator, found \`${atom}\``);
    }
    stack[stack.length - 1].items.push({ atom, span: start });
    column += j - i;
    i = j;
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1].span;
    fail(line, column, `expected \`)\` to close the \`(\` at ${open.line}:${open.column}, found the end of the file`);
  }
  return stack[0].items;
}
