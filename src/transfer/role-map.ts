import { editDistance, type Game } from '../core/index.js';

/**
 * Which part of a source network feeds which part of a network for another game: input planes by
 * role, policy heads by action kind. Games name their input planes `SIDE:KIND` (`own:stone`,
 * `opp:pawn`, `cell:exists`, `side:first-player`, `own:threat`) and their actions by kind
 * (`place`, `drop`, `move:NE`, `pass`), so a network carries over plane by plane, by meaning
 * (Soemers et al., TMLR 2023: piece channels matched by name and owner first, then by the nearest
 * piece; channels without a match get fresh weights). Every choice is a decision record with one
 * line of text, so a run can print and store why its network starts where it does.
 *
 * Input planes, for each target plane in order:
 *   exact    a source plane of the same name;
 *   family   else the nearest source plane of the same role family (`own:*`, `opp:*`, `cell:*`,
 *            `side:*`) that no other target plane takes. "Nearest": the same kind name first; a
 *            `stone` stands for any piece (it is the generic piece of the placement games); then the
 *            smallest edit distance between the kind names, ties to the earlier source plane;
 *   none     otherwise: the stem's weights for the plane are zero, so it adds nothing until trained.
 * Each source plane feeds at most one target plane, so a target position reads, through the
 * mapped planes, as exactly one source position (no source plane is counted twice).
 * Rules-derived feature planes (`own:threat`...) say something about cells, not which piece stands
 * there, so they map by exact name only: a threat plane read as stones would mislead the trunk.
 *
 * Action kinds, for each target kind (a target head whose kind has no source is fresh):
 *   exact    the source head of the same kind (`place`, `drop`, `move:DIR`, `pass`): both on the
 *            board (cell or column planes) or both global;
 *   family   `drop` <- `place` and `place` <- `drop` (with `placeDrop`, the default): both put one
 *            piece on a cell, so the per-cell logits of the one are a sensible start for the other
 *            (a `drop` column's logit is the mean of its cells' logits). A decision, reported as
 *            such: Gomoku -> Connect Four keeps its policy head this way;
 *   none     fresh head. `move:DIR` only maps to the same direction, `pass` to `pass`.
 */

export type MapRule = 'exact' | 'family' | 'none';

export interface PlaneDecision {
  /** The target's input plane. */
  readonly target: string;
  /** The source plane that feeds it, or null (zero stem weights). */
  readonly source: string | null;
  /** Index of `source` among the source's planes, or -1. */
  readonly sourceIndex: number;
  readonly rule: MapRule;
  /** One line a person reads, e.g. `own:stone <- own:pawn (family: ...)`. */
  readonly text: string;
}

/** Where an action kind's logits live: one per cell, one per column, or one global action. */
export type ActionExtent = 'cell' | 'column' | 'global';

export interface ActionKind {
  readonly name: string;
  readonly extent: ActionExtent;
}

export interface ActionDecision {
  /** The target's action kind (its policy head is module `policy:KIND`). */
  readonly target: string;
  readonly targetExtent: ActionExtent;
  /** The source kind whose head it starts from, or null (a fresh head). */
  readonly source: string | null;
  readonly sourceExtent: ActionExtent | null;
  readonly rule: MapRule;
  readonly text: string;
}

/** What a network reads and writes, by name: a game's encoding and action layout, or an Architecture. */
export interface RoleSignature {
  readonly inputPlanes: readonly string[];
  readonly actionPlanes: readonly { readonly name: string; readonly extent: 'cell' | 'column' }[];
  readonly globalActions: readonly string[];
}

export interface RoleMapOptions {
  /** Let `drop` and `place` heads stand in for each other (default true). */
  readonly placeDrop?: boolean;
}

export interface RoleMap {
  readonly planes: readonly PlaneDecision[];
  readonly actions: readonly ActionDecision[];
  /** Per target plane, the source plane index or -1: the stem's plane map (modules.ts `planeMap`). */
  readonly sourceIndex: readonly number[];
}

/** Kinds that are rules-derived features of cells rather than pieces: mapped by exact name only. */
const FEATURE_KINDS = new Set(['threat']);

/** The generic piece: stands for any piece kind of the same side. */
const GENERIC_PIECE = 'stone';

const FAMILIES = new Set(['own', 'opp', 'cell', 'side']);

function splitRole(name: string): { family: string; kind: string } | null {
  const colon = name.indexOf(':');
  if (colon <= 0) return null;
  const family = name.slice(0, colon);
  return FAMILIES.has(family) ? { family, kind: name.slice(colon + 1) } : null;
}

function isPieceFamily(family: string): boolean {
  return family === 'own' || family === 'opp';
}

/** How far source kind `from` is from target kind `to` within a family (smaller is nearer). */
function kindDistance(family: string, from: string, to: string): number {
  if (from === to) return 0;
  if (isPieceFamily(family) && (from === GENERIC_PIECE || to === GENERIC_PIECE)) return 1;
  return 2 + editDistance(from, to) / Math.max(from.length, to.length);
}

/** Maps the target's input planes onto the source's (see the file comment for the rules). */
export function mapInputPlanes(source: readonly string[], target: readonly string[]): PlaneDecision[] {
  const sourceIndex = new Map(source.map((name, i) => [name, i]));
  const claimed = new Set<number>();
  const decisions: (PlaneDecision | undefined)[] = target.map((name) => {
    const index = sourceIndex.get(name);
    if (index === undefined) return undefined;
    claimed.add(index);
    return { target: name, source: name, sourceIndex: index, rule: 'exact', text: `${name} <- ${name} (same name)` };
  });
  return target.map((name, t) => {
    const exact = decisions[t];
    if (exact) return exact;
    const none = (why: string): PlaneDecision => ({ target: name, source: null, sourceIndex: -1, rule: 'none', text: `${name}: no source plane, zero stem weights (${why})` });
    const role = splitRole(name);
    if (!role) return none('not a SIDE:KIND role name, so only an exact name maps');
    if (isPieceFamily(role.family) && FEATURE_KINDS.has(role.kind)) return none(`${role.kind} is a rules-derived feature, mapped by exact name only`);
    const candidates = source
      .map((s, i) => ({ name: s, index: i, role: splitRole(s) }))
      .filter((c) => c.role?.family === role.family && !(isPieceFamily(role.family) && FEATURE_KINDS.has(c.role.kind)));
    if (candidates.length === 0) return none(`the source has no ${role.family}:* plane`);
    const free = candidates.filter((c) => !claimed.has(c.index));
    if (free.length === 0) return none(`every source ${role.family}:* plane (${candidates.map((c) => c.name).join(', ')}) already feeds a target plane`);
    let best = free[0];
    let bestDistance = kindDistance(role.family, best.role!.kind, role.kind);
    for (const c of free.slice(1)) {
      const d = kindDistance(role.family, c.role!.kind, role.kind);
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    claimed.add(best.index);
    const why = bestDistance === 1 ? `${GENERIC_PIECE} is the generic piece` : `the nearest ${role.family}:* kind by name`;
    return { target: name, source: best.name, sourceIndex: best.index, rule: 'family', text: `${name} <- ${best.name} (family: ${why})` };
  });
}

function actionKinds(signature: RoleSignature): ActionKind[] {
  return [...signature.actionPlanes.map((p) => ({ name: p.name, extent: p.extent })), ...signature.globalActions.map((name) => ({ name, extent: 'global' as const }))];
}

const PLACE_DROP: Record<string, string> = { place: 'drop', drop: 'place' };

/** Maps the target's action kinds onto the source's heads (see the file comment for the rules). */
export function mapActionKinds(source: readonly ActionKind[], target: readonly ActionKind[], options: RoleMapOptions = {}): ActionDecision[] {
  const byName = new Map(source.map((k) => [k.name, k]));
  const onBoard = (e: ActionExtent) => e !== 'global';
  return target.map((kind) => {
    const base = { target: kind.name, targetExtent: kind.extent };
    const exact = byName.get(kind.name);
    if (exact && onBoard(exact.extent) === onBoard(kind.extent)) {
      return { ...base, source: exact.name, sourceExtent: exact.extent, rule: 'exact', text: `${kind.name} <- ${exact.name} (same action kind)` };
    }
    const partner = PLACE_DROP[kind.name];
    const family = partner === undefined ? undefined : byName.get(partner);
    if (options.placeDrop !== false && family && onBoard(family.extent) && onBoard(kind.extent)) {
      const how = kind.extent === 'column' ? `a ${kind.name} column's logit is the mean of the ${family.name} logits of its cells` : `each cell's logit is the ${family.name} logit of that cell`;
      return { ...base, source: family.name, sourceExtent: family.extent, rule: 'family', text: `${kind.name} <- ${family.name} (family: both put one piece on the board; ${how})` };
    }
    const why = exact ? `the source's ${exact.name} is ${exact.extent === 'global' ? 'a global action' : 'on the board'}, this one is not` : 'the source has no head of this kind';
    return { ...base, source: null, sourceExtent: null, rule: 'none', text: `${kind.name}: fresh head (${why})` };
  });
}

/** Input planes and action kinds of `target` mapped onto `source`. */
export function roleMap(source: RoleSignature, target: RoleSignature, options: RoleMapOptions = {}): RoleMap {
  const planes = mapInputPlanes(source.inputPlanes, target.inputPlanes);
  return { planes, actions: mapActionKinds(actionKinds(source), actionKinds(target), options), sourceIndex: planes.map((d) => d.sourceIndex) };
}

/** The role signature of a game (its encoding and action layout). */
export function gameSignature(game: Game): RoleSignature {
  return { inputPlanes: game.encoding.planes, actionPlanes: game.actionLayout.planes, globalActions: game.actionLayout.globals };
}
