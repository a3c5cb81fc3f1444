import { z } from 'zod';
import { ArborError } from '../core/index.js';
import { BASE_TYPES, RESERVED_WORDS, type Expr, type Program } from './ast.js';
import type { ProgramType } from './types.js';

/**
 * The JSON form of a program, for the library and for tools: the AST itself (plain data) with a
 * format tag and version. `fromJson` validates everything (shapes, names, finite numbers), so a
 * program read from JSON is as well-formed as one read from text; types are checked separately,
 * as for text.
 */

export const PROGRAM_JSON_FORMAT = 'arbor-program';
export const PROGRAM_JSON_VERSION = 1;

export interface ProgramJson {
  readonly format: typeof PROGRAM_JSON_FORMAT;
  readonly version: number;
  readonly program: Program;
}

export function toJson(p: Program): ProgramJson {
  // A deep copy through JSON, so the result shares nothing with `p` and holds only JSON values.
  return { format: PROGRAM_JSON_FORMAT, version: PROGRAM_JSON_VERSION, program: JSON.parse(JSON.stringify(p)) as Program };
}

const NAME = /^([a-z][a-z0-9-]*[?]?|[+\-*/<>=]|<=|>=)$/;
const name = z.string().regex(NAME, { error: (i) => `"${String(i.input)}" is not a name (lower-case letters, digits, '-', optional '?', or an operator)` })
  .refine((n) => !RESERVED_WORDS.has(n), { error: (i) => `"${String(i.input)}" is a reserved word` });

/** A resource reference as program text can hold it: one line, not empty. */
const reference = z.string().min(1, 'a reference is not empty ("lib:NAME" or a checkpoint folder)')
  // eslint-disable-next-line no-control-regex
  .refine((r) => !/[\u0000-\u001f]/.test(r), 'a reference holds no line breaks or control characters');

const typeSchema: z.ZodType<ProgramType> = z.lazy(() => z.union([z.enum(BASE_TYPES as [string, ...string[]]), z.strictObject({ args: z.array(typeSchema), result: typeSchema })])) as z.ZodType<ProgramType>;

const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('number'), value: z.number().refine(Number.isFinite, 'numbers must be finite') }),
    z.strictObject({ kind: z.literal('boolean'), value: z.boolean() }),
    z.strictObject({ kind: z.literal('ref'), value: reference }),
    z.strictObject({ kind: z.literal('var'), name }),
    z.strictObject({ kind: z.literal('call'), op: name, args: z.array(exprSchema) }),
    z.strictObject({ kind: z.literal('if'), test: exprSchema, then: exprSchema, else: exprSchema }),
    z.strictObject({ kind: z.literal('let'), bindings: z.array(z.strictObject({ name, value: exprSchema })).min(1), body: exprSchema }),
    z.strictObject({ kind: z.literal('lambda'), params: z.array(z.strictObject({ name, type: typeSchema.optional() })), body: exprSchema }),
  ]),
) as z.ZodType<Expr>;

const programJsonSchema = z.strictObject({
  format: z.literal(PROGRAM_JSON_FORMAT),
  version: z.literal(PROGRAM_JSON_VERSION),
  program: z.strictObject({
    yields: z.enum(['policy', 'value']),
    defines: z.array(z.strictObject({ name, params: z.array(z.strictObject({ name, type: typeSchema })), body: exprSchema })),
    body: exprSchema,
  }),
});

/** Reads the JSON form; one ArborError naming the path of the first problem. `source` names the input in the message. */
export function fromJson(data: unknown, source = '<json>'): Program {
  const parsed = programJsonSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ArborError(`${source}: not an arbor program in JSON form at ${issue.path.length ? issue.path.join('.') : 'the top level'}: ${issue.message}`);
  }
  return normalize(parsed.data.program as Program);
}

/** -0 becomes 0, as in text (see parseProgram); optional lambda types that are absent stay absent. */
function normalize(p: Program): Program {
  const fix = (e: Expr): Expr => {
    switch (e.kind) {
      case 'number':
        return e.value === 0 ? { kind: 'number', value: 0 } : e;
      case 'boolean':
      case 'ref':
      case 'var':
        return e;
      case 'call':
        return { kind: 'call', op: e.op, args: e.args.map(fix) };
      case 'if':
        return { kind: 'if', test: fix(e.test), then: fix(e.then), else: fix(e.else) };
      case 'let':
        return { kind: 'let', bindings: e.bindings.map((b) => ({ name: b.name, value: fix(b.value) })), body: fix(e.body) };
      case 'lambda':
        return { kind: 'lambda', params: e.params.map((q) => (q.type === undefined ? { name: q.name } : { name: q.name, type: q.type })), body: fix(e.body) };
    }
  };
  return { yields: p.yields, defines: p.defines.map((d) => ({ name: d.name, params: d.params, body: fix(d.body) })), body: fix(p.body) };
}
