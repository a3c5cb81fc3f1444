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
    for (const part of splitOptions(rest)) {
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

/** Splits on commas that are not inside brackets, so values such as paths with [..] survive. */
function splitOptions(text: string): string[] {
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
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A typed parameter of a game or agent, validated when a spec string is read. */
export type ParamDef =
  | { readonly type: 'int'; readonly default: number; readonly min: number; readonly max: number; readonly description: string }
  | { readonly type: 'float'; readonly default: number; readonly min: number; readonly max: number; readonly description: string }
  | { readonly type: 'bool'; readonly default: boolean; readonly description: string }
  | { readonly type: 'string'; readonly default: string; readonly description: string; readonly choices?: readonly string[] };

export type ParamDefs = Readonly<Record<string, ParamDef>>;
export type ParamValues = Record<string, number | boolean | string>;

/**
 * Checks every option against `defs`, fills defaults, and names the problem and the fix on error.
 * `renamed` maps former option names to their current ones, so an old spec is refused with the
 * name to use instead.
 */
export function resolveParams(
  spec: ParsedSpec,
  defs: ParamDefs,
  kind: string,
  aliases: Readonly<Record<string, readonly string[]>> = {},
  renamed: Readonly<Record<string, string>> = {},
): ParamValues {
  const values: ParamValues = {};
  for (const [key, def] of Object.entries(defs)) values[key] = def.default;
  const allowed = Object.keys(defs);
  for (const [key, raw] of spec.options) {
    const def = defs[key];
    if (!def) {
      if (aliases[key]) {
        for (const target of aliases[key]) {
          if (spec.options.has(target)) {
            throw new ArborError(`${kind} ${spec.name}: give either ${key} or ${aliases[key].join('/')}, not both`);
          }
          values[target] = parseValue(spec.name, target, raw, defs[target], kind);
        }
        continue;
      }
      if (renamed[key]) throw new ArborError(`unknown ${kind} option "${key}" for ${spec.name}; it is now ${renamed[key]}`);
      const names = [...allowed, ...Object.keys(aliases)];
      throw new ArborError(`unknown ${kind} option "${key}" for ${spec.name}; allowed: ${names.length ? names.join(', ') : '(none)'}`);
    }
    values[key] = parseValue(spec.name, key, raw, def, kind);
  }
  return values;
}

function parseValue(name: string, key: string, raw: string, def: ParamDef, kind: string): number | boolean | string {
  switch (def.type) {
    case 'int':
    case 'float': {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n) || (def.type === 'int' && !Number.isInteger(n))) {
        throw new ArborError(`${kind} ${name}: ${key}=${raw} is not ${def.type === 'int' ? 'an integer' : 'a number'}; allowed ${def.min}..${def.max}`);
      }
      if (n < def.min || n > def.max) {
        throw new ArborError(`${kind} ${name}: ${key}=${raw} is out of range; allowed ${def.min}..${def.max}`);
      }
      return n;
    }
    case 'bool':
      if (['true', '1', 'yes', 'on'].includes(raw)) return true;
      if (['false', '0', 'no', 'off'].includes(raw)) return false;
      throw new ArborError(`${kind} ${name}: ${key}=${raw} is not a boolean; use true or false`);
    case 'string':
      if (def.choices && !def.choices.includes(raw)) {
        throw new ArborError(`${kind} ${name}: ${key}=${raw} is not allowed; choose one of ${def.choices.join(', ')}`);
      }
      return raw;
  }
}

/** Writes params back as a canonical spec string (only non-default values, in definition order). */
export function formatSpec(name: string, defs: ParamDefs, values: ParamValues, includeDefaults = false): string {
  const parts: string[] = [];
  for (const [key, def] of Object.entries(defs)) {
    if (includeDefaults || values[key] !== def.default) parts.push(`${key}=${values[key]}`);
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
    allowed: def.type === 'int' || def.type === 'float' ? `${def.min}..${def.max}` : def.type === 'bool' ? 'true|false' : (def.choices ?? []).join('|'),
    description: def.description,
  }));
}
