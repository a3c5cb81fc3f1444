import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ArborError, expandPositionalOption, parseSpec } from '../core/index.js';
import type { ArenaConfig } from './arena.js';
import type { ArenaAgent } from './match.js';

/**
 * Arena spec files (`arenas/*.json`), validated with zod. Every field, with its unit:
 *   game          game spec string, e.g. "connect4"
 *   agents        agent spec strings, or { spec, name?, simulations?, moveTimeMs? } objects
 *                 (simulations is appended to the spec as `simulations=N`; name is the display name)
 *   anchor        spec or name of the agent rated 0 (default: the first)
 *   gamesPerPair  games per pair of agents (even: each opening with both colours)
 *   openings      random plies at the start of each opening (default 0)
 *   moveTimeMs    per-move wall-clock budget for agents without their own (ms)
 *   workers       worker threads (default: one per core)
 *   seed          match seed (default: fresh, printed and recorded)
 *   dir           records folder, relative to the spec file (default: SPECNAME-records beside it)
 *   priorDraws    virtual draws per pair in the rating fit (default 1)
 *   description   free text
 */

const agentObject = z
  .object({
    spec: z.string().min(1),
    name: z.string().min(1).optional(),
    simulations: z.number().int().min(1).optional(),
    moveTimeMs: z.number().int().min(1).optional(),
  })
  .strict();

const arenaFileSchema = z
  .object({
    description: z.string().optional(),
    game: z.string().min(1),
    agents: z.array(z.union([z.string().min(1), agentObject])).min(2),
    anchor: z.string().min(1).optional(),
    gamesPerPair: z.number().int().min(1),
    openings: z.number().int().min(0).optional(),
    moveTimeMs: z.number().int().min(1).optional(),
    workers: z.number().int().min(0).max(256).optional(),
    seed: z.union([z.string().min(1), z.number()]).optional(),
    dir: z.string().min(1).optional(),
    priorDraws: z.number().min(0).optional(),
  })
  .strict();

export type ArenaFile = z.infer<typeof arenaFileSchema>;

const FIELDS = Object.keys(arenaFileSchema.shape).join(', ');

function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(top level)';
}

/** Turns the first zod issue into one line naming the field and what it should be. */
function describeIssue(source: string, issue: z.core.$ZodIssue): string {
  const field = fieldName(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in ${field}` : '';
    const allowed = issue.path.length ? 'spec, name, simulations, moveTimeMs' : FIELDS;
    // `sims` is the name earlier versions used for an agent's simulations.
    const renamed = issue.path.length && issue.keys.includes('sims') ? '; "sims" is now "simulations"' : '';
    return `${source}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}; allowed: ${allowed}${renamed}`;
  }
  if (issue.code === 'invalid_union' && issue.path[0] === 'agents') {
    return `${source}: field "${field}" must be an agent spec string or an object {"spec": ..., "name"?: ..., "simulations"?: N, "moveTimeMs"?: N}`;
  }
  if (issue.code === 'too_small' && field === 'agents') return `${source}: field "agents" needs at least two agents`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${source}: missing field "${field}"`;
  return `${source}: field "${field}": ${issue.message}`;
}

/** Validates parsed JSON as an arena spec; `source` names the file in errors. */
export function parseArenaFile(json: unknown, source: string): ArenaFile {
  const parsed = arenaFileSchema.safeParse(json);
  if (!parsed.success) throw new ArborError(describeIssue(source, parsed.error.issues[0]));
  return parsed.data;
}

/** `simulations` in an agent entry becomes a `simulations=N` option of its spec. */
function agentFromEntry(entry: ArenaFile['agents'][number], index: number, source: string): ArenaAgent {
  if (typeof entry === 'string') return { spec: entry.trim() };
  let spec = entry.spec.trim();
  if (entry.simulations !== undefined) {
    if (parseSpec(expandPositionalOption(spec), 'agent').options.has('simulations')) {
      throw new ArborError(`${source}: agents[${index}] gives simulations both in "spec" and in "simulations"; keep one`);
    }
    spec = spec.includes(':') ? `${spec},simulations=${entry.simulations}` : `${spec}:simulations=${entry.simulations}`;
  }
  return { spec, name: entry.name, moveTimeMs: entry.moveTimeMs };
}

/** Reads and validates an arena spec file into an ArenaConfig (records folder resolved beside it). */
export function loadArenaFile(path: string): ArenaConfig & { workers?: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ArborError(`cannot read arena spec ${path}; give the path of a JSON file such as arenas/connect4-ladder.json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ArborError(`${path} is not valid JSON (${(e as Error).message}); fix the file`);
  }
  const file = parseArenaFile(json, path);
  const base = dirname(resolve(path));
  const dir = file.dir ? resolve(base, file.dir) : join(base, `${basename(path, extname(path))}-records`);
  return {
    game: file.game,
    agents: file.agents.map((e, k) => agentFromEntry(e, k, path)),
    anchor: file.anchor,
    gamesPerPair: file.gamesPerPair,
    openingPlies: file.openings ?? 0,
    moveTimeMs: file.moveTimeMs,
    workers: file.workers,
    seed: file.seed === undefined ? undefined : String(file.seed),
    dir,
    priorDraws: file.priorDraws,
  };
}
