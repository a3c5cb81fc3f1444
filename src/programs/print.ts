import { typeToString, type Define, type Expr, type Program } from './ast.js';

/**
 * The canonical text of a program: what `parseProgram` reads back to the same AST
 * (parse(print(p)) equals p), and a fixed point (print(parse(print(p))) === print(p)). A form
 * that fits in `WIDTH` columns is one line; a longer one puts each argument on its own line,
 * indented by two spaces.
 */

const WIDTH = 100;

export function printProgram(p: Program): string {
  const parts = p.defines.map((d) => printDefine(d));
  parts.push(layout(['program', p.yields], [p.body], 0));
  return `${parts.join('\n\n')}\n`;
}

export function printExpr(e: Expr, indent = 0): string {
  switch (e.kind) {
    case 'number':
      return printNumber(e.value);
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'ref':
      return printRef(e.value);
    case 'var':
      return e.name;
    case 'call':
      return layout([e.op], e.args, indent);
    case 'if':
      return layout(['if'], [e.test, e.then, e.else], indent);
    case 'let': {
      const flat = `(let (${e.bindings.map((b) => `(${b.name} ${printExpr(b.value)})`).join(' ')}) ${printExpr(e.body)})`;
      if (fits(flat, indent)) return flat;
      const inner = ' '.repeat(indent + 2);
      const bindings = e.bindings.map((b) => `${inner}  (${b.name} ${printExpr(b.value, indent + 4 + b.name.length)})`).join('\n');
      return `(let (\n${bindings})\n${inner}${printExpr(e.body, indent + 2)})`;
    }
    case 'lambda': {
      const params = e.params.map((p) => (p.type === undefined ? p.name : `(${p.name} ${typeToString(p.type)})`)).join(' ');
      return layout([`lambda (${params})`], [e.body], indent);
    }
  }
}

function printDefine(d: Define): string {
  const head = `(${[d.name, ...d.params.map((p) => `(${p.name} ${typeToString(p.type)})`)].join(' ')})`;
  return layout(['define', head], [d.body], 0);
}

/** JS's shortest round-trip form of the number (`0.1`, `-3`, `1e-7`): reads back to the same double. */
function printNumber(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** A reference in double quotes, `"` and `\` escaped with a backslash (what the parser reads back). */
export function printRef(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function fits(text: string, indent: number): boolean {
  return !text.includes('\n') && indent + text.length <= WIDTH;
}

/** `(HEAD... ARG...)` on one line if it fits, else the arguments one per line. */
function layout(head: string[], args: readonly Expr[], indent: number): string {
  const flat = `(${[...head, ...args.map((a) => printExpr(a))].join(' ')})`;
  if (fits(flat, indent)) return flat;
  const inner = indent + 2;
  return `(${head.join(' ')}${args.map((a) => `\n${' '.repeat(inner)}${printExpr(a, inner)}`).join('')})`;
}
