import { z } from 'zod';
import { ArborError } from './errors.js';

/**
 * Spec strings name a configured thing: `connect4:rows=5,cols=6`, `uct:simulations=1000,cUct=1.4`.
 * A name, then optionally `:` and comma-separated `key=value` pairs.
 */
export interface ParsedSpec {
  readonly name: string;
  readonly options: ReadonlyMap<string, string>;
}

export function parseSpec(text: string, kind: string): ParsedSpec {
  const trimmed = text.trim();
  if (trimmed === '') throw new ArborError(`empty ${kind} spec; write it as NAME or NAME:key=value,key=value`);
  const colon = trimmed.indexOf(':');
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  if (!/^[a-z][a-z0-9-]*$/i.test(name)) {
    throw new ArborError(`malformed ${kind} spec "${text}": the name must be letters, digits or '-' (e.g. connect4:rows=6,cols=7)`);
  }
  const options = new Map<string, string>();
  if (colon >= 0) {
    const rest = trimmed.slice(colon + 1);
    if (rest.trim() === '') throw new ArborError(`malformed ${kind} spec "${text}": nothing after ':'; write key=value pairs or drop the ':'`);
    for (const part of splitOptions(rest, text, kind)) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new ArborError(`malformed ${kind} spec "${text}": "${part}" is not key=value`);
      const key = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (options.has(key)) throw new ArborError(`malformed ${kind} spec "${text}": "${key}" is given twice`);
      options.set(key, value);
    }
  }
  return { name, options };
}

/**
 * Splits on commas that are not inside brackets, so values such as paths with [..] survive. An
 * empty part (`a=1,,b=2`, a trailing comma) is an error rather than skipped: it is usually a
 * value lost while editing, and a spec must mean exactly what it says.
 */
function splitOptions(text: string, fullText: string, kind: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  const trimmed = parts.map((p) => p.trim());
  const empty = trimmed.indexOf('');
  if (empty >= 0) {
    const where = empty === trimmed.length - 1 ? 'a trailing comma' : empty === 0 ? 'a comma right after the \':\'' : 'two commas in a row';
    throw new ArborError(`malformed ${kind} spec "${fullText}": empty parameter (${where}); write key=value pairs separated by single commas`);
  }
  return trimmed;
}

/**
 * A typed parameter of a game or agent, validated (with zod) when a spec string is read. Plain
 * data, so `arbor games --json` can print it and help texts can describe it (`describeParams`).
 */
export type ParamDef =
  | { readonly type: 'int'; readonly default: number; readonly min: number; readonly max: number; readonly description: string }
  | { readonly type: 'float'; readonly default: number; readonly min: number; readonly max: number; readonly description: string }
  | { readonly type: 'bool'; readonly default: boolean; readonly description: string }
  | {
      readonly type: 'string';
      readonly default: string;
      readonly description: string;
      readonly choices?: readonly string[];
      /**
       * Besides `choices`, also allowed: a reference `SCHEME:REF` (another layer resolves it, e.g.
       * `program:FILE` through a registered loader); the text shows the form in messages.
       */
      readonly orReference?: string;
    };

export type ParamDefs = Readonly<Record<string, ParamDef>>;

/** The value type of one parameter: numbers, booleans, a choice's union of strings, or free text. */
type ParamValue<P> = P extends { readonly type: 'int' | 'float' }
  ? number
  : P extends { readonly type: 'bool' }
    ? boolean
    : P extends { readonly orReference: string }
      ? string
      : P extends { readonly choices: readonly (infer C extends string)[] }
        ? C
        : string;

/** Resolved values of the parameters `D`, typed from their definitions (see `defineParams`). */
export type ParamValues<D extends ParamDefs = ParamDefs> = { [K in keyof D]: ParamValue<D[K]> };

/**
 * Declares parameters with their literal types kept, so the values `resolveParams` returns are
 * typed by inference (`params.simulations` is a number, `params.eval` is 'uniform' | 'rollout'):
 *
 *   const params = defineParams({ simulations: { type: 'int', default: 800, min: 1, max: 1e8, description: '...' } });
 *
 * Each default is checked against its own rule here, once, when the module defining it loads.
 */
export function defineParams<const D extends ParamDefs>(defs: D): D {
  for (const [key, def] of Object.entries(defs)) {
    const checked = paramSchema(key, def).safeParse(String(def.default));
    if (!checked.success) throw new Error(`parameter ${key}: its default does not pass its own rule (${checked.error.issues[0].message})`);
  }
  return defs;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = ['true', '1', 'yes', 'on'] as const;
const FALSE = ['false', '0', 'no', 'off'] as const;

/** The zod schema of one parameter: spec text in, typed value out; every message names key and value. */
function paramSchema(key: string, def: ParamDef): z.ZodType<number | boolean | string, string> {
  const says = (text: string) => ({ error: (issue: { input?: unknown }) => `${key}=${String(issue.input)} ${text}` });
  switch (def.type) {
    case 'int':
    case 'float': {
      const allowed = `allowed ${def.min}..${def.max}`;
      const notNumber = says(`is not ${def.type === 'int' ? 'an integer' : 'a number'}; ${allowed}`);
      const outOfRange = says(`is out of range; ${allowed}`);
      const number = def.type === 'int' ? z.number(notNumber).int(notNumber) : z.number(notNumber);
      return z.string().regex(NUMBER, notNumber).transform(Number).pipe(number.min(def.min, outOfRange).max(def.max, outOfRange));
    }
    case 'bool':
      return z.enum([...TRUE, ...FALSE], says('is not a boolean; use true or false')).transform((v) => (TRUE as readonly string[]).includes(v));
    case 'string':
      if (def.choices && def.orReference) {
        const choices = def.choices;
        return z.string().refine((v) => choices.includes(v) || /^[a-z][a-z0-9-]*:./i.test(v), says(`is not allowed; choose one of ${choices.join(', ')} or ${def.orReference}`));
      }
      return def.choices ? z.enum(def.choices as [string, ...string[]], says(`is not allowed; choose one of ${def.choices.join(', ')}`)) : z.string();
  }
}

/** One zod object schema per definitions object, built on first use. */
const schemas = new WeakMap<ParamDefs, z.ZodType<Record<string, number | boolean | string>, Record<string, string>>>();

function paramsSchema(defs: ParamDefs): z.ZodType<Record<string, number | boolean | string>, Record<string, string>> {
  let schema = schemas.get(defs);
  if (!schema) {
    const shape: Record<string, z.ZodType<number | boolean | string, string | undefined>> = {};
    for (const [key, def] of Object.entries(defs)) shape[key] = paramSchema(key, def).default(def.default);
    schema = z.strictObject(shape) as unknown as z.ZodType<Record<string, number | boolean | string>, Record<string, string>>;
    schemas.set(defs, schema);
  }
  return schema;
}

/** How a spec's options are read besides the definitions themselves. */
export interface ResolveParamsOptions {
  /** Shorthand options that set several parameters at once (gomoku `size` sets rows and cols). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  /** Former option names -> current ones, so an old spec is refused naming the name to use. */
  readonly renamed?: Readonly<Record<string, string>>;
}

/**
 * Checks every option against `defs` (with zod), fills defaults, and names the problem and the
 * fix on error: the key, the bad value and the allowed range or choices, in one line.
 */
export function resolveParams<D extends ParamDefs>(spec: ParsedSpec, defs: D, kind: string, options: ResolveParamsOptions = {}): ParamValues<D> {
  const aliases = options.aliases ?? {};
  const renamed = options.renamed ?? {};
  const input: Record<string, string> = {};
  for (const [key, raw] of spec.options) {
    if (key in defs) {
      input[key] = raw;
      continue;
    }
    const targets = aliases[key];
    if (targets) {
      for (const target of targets) {
        if (spec.options.has(target)) throw new ArborError(`${kind} ${spec.name}: give either ${key} or ${targets.join('/')}, not both`);
        input[target] = raw;
      }
      continue;
    }
    if (renamed[key]) throw new ArborError(`unknown ${kind} option "${key}" for ${spec.name}; it is now ${renamed[key]}`);
    const names = [...Object.keys(defs), ...Object.keys(aliases)];
    throw new ArborError(`unknown ${kind} option "${key}" for ${spec.name}; allowed: ${names.length ? names.join(', ') : '(none)'}`);
  }
  const parsed = paramsSchema(defs).safeParse(input);
  if (!parsed.success) throw new ArborError(`${kind} ${spec.name}: ${parsed.error.issues[0].message}`);
  return parsed.data as ParamValues<D>;
}

/** Writes params back as a canonical spec string (only non-default values, in definition order). */
export function formatSpec<D extends ParamDefs>(name: string, defs: D, values: ParamValues<D>, includeDefaults = false): string {
  const parts: string[] = [];
  for (const [key, def] of Object.entries(defs)) {
    if (includeDefaults || values[key] !== def.default) parts.push(`${key}=${String(values[key])}`);
  }
  return parts.length ? `${name}:${parts.join(',')}` : name;
}

/** One parameter as people read it: for `arbor agents`, `arbor games` and help texts. */
export interface ParamDescription {
  readonly name: string;
  readonly type: 'int' | 'float' | 'bool' | 'string';
  /** The default as it is written in a spec string. */
  readonly default: string;
  /** `1..100000`, `true|false`, `uniform|rollout`, or '' for free text. */
  readonly allowed: string;
  readonly description: string;
}

/** Every parameter of `defs`, in definition order. */
export function describeParams(defs: ParamDefs): ParamDescription[] {
  return Object.entries(defs).map(([name, def]) => ({
    name,
    type: def.type,
    default: String(def.default),
    allowed: def.type === 'int' || def.type === 'float' ? `${def.min}..${def.max}` : def.type === 'bool' ? 'true|false' : [...(def.choices ?? []), ...(def.orReference ? [def.orReference] : [])].join('|'),
    description: def.description,
  }));
}
