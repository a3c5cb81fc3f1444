import { ArborError, type Game, type Rng } from '../core/index.js';
import { createGame } from '../envs/index.js';

/**
 * One run over several board sizes of a game family (KataGo: one net for every board size, the
 * size drawn per game and each training batch of one size, since a batch's tensors need one
 * shape — Wu 2019, "Accelerating Self-Play Learning in Go", section 5). arbor's networks are
 * fully convolutional with global pooling and the exported ONNX graph has symbolic rows and
 * cols, so one model and one ONNX file serve every size of the family.
 */

/**
 * The game specs `--sizes 4x5,5x6` asks for, from the base spec of `--game`: games with `rows` and
 * `cols` parameters get both, games with one `size` parameter need square sizes (`5x5` or `5`).
 * Every other parameter of the base spec is kept.
 */
export function sizeSpecs(baseSpec: string, sizesText: string): string[] {
  const base = createGame(baseSpec);
  const rest = Object.entries(base.params).filter(([k]) => k !== 'rows' && k !== 'cols' && k !== 'size');
  const hasRowsCols = 'rows' in base.params && 'cols' in base.params;
  const hasSize = 'size' in base.params;
  if (!hasRowsCols && !hasSize) throw new ArborError(`--sizes: ${base.id} has one board size (no rows/cols or size parameter); drop --sizes`);
  const items = sizesText.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length < 2) throw new ArborError(`--sizes ${sizesText} lists ${items.length} size(s); give two or more, e.g. --sizes 4x5,5x6`);
  return items.map((item) => {
    const m = /^(\d+)(?:x(\d+))?$/.exec(item);
    if (!m) throw new ArborError(`--sizes: "${item}" is not a board size; write ROWSxCOLS, e.g. --sizes 4x5,5x6`);
    const rows = Number(m[1]);
    const cols = m[2] === undefined ? rows : Number(m[2]);
    let sized: [string, unknown][];
    if (hasRowsCols) sized = [['rows', rows], ['cols', cols]];
    else if (rows !== cols) throw new ArborError(`--sizes: ${base.id} boards are square (one size parameter); write ${rows}x${rows} or ${rows}, not ${item}`);
    else sized = [['size', rows]];
    const params = [...sized, ...rest].map(([k, v]) => `${k}=${String(v)}`).join(',');
    return createGame(`${base.id}:${params}`).spec;
  });
}

/**
 * Checks a family of game specs for one run and builds the games: two or more distinct sizes of
 * one game id that share input-plane and action-plane names (so one network reads and writes
 * them all). `where` names the setting in the error lines.
 */
export function familyGames(specs: readonly string[], where: string): Game[] {
  if (specs.length < 2) throw new ArborError(`${where} lists ${specs.length} game(s); a multi-size run needs two or more sizes of one game`);
  const games = specs.map((s) => createGame(s));
  const [first] = games;
  for (const g of games) {
    if (g.id !== first.id) throw new ArborError(`${where} mixes games ${first.id} and ${g.id}; a multi-size run trains sizes of one game (e.g. connect4:rows=4,cols=5 and connect4:rows=5,cols=6)`);
    if (g.encoding.planes.join('|') !== first.encoding.planes.join('|')) throw new ArborError(`${where}: ${g.spec} has input planes ${g.encoding.planes.join(',')}, ${first.spec} has ${first.encoding.planes.join(',')}; one network needs the same planes at every size`);
    const actions = (x: Game) => [...x.actionLayout.planes.map((p) => p.name), ...x.actionLayout.globals].join('|');
    if (actions(g) !== actions(first)) throw new ArborError(`${where}: ${g.spec} has action planes ${actions(g)}, ${first.spec} has ${actions(first)}; one network needs the same action planes at every size`);
  }
  const seen = new Set<string>();
  for (const g of games) {
    if (seen.has(g.spec)) throw new ArborError(`${where} lists ${g.spec} twice; list each size once (weights set how often each is played)`);
    seen.add(g.spec);
  }
  return games;
}

/** The index of the largest board of the family (most cells; the first of equals): the run's main game. */
export function largestIndex(games: readonly Game[]): number {
  let best = 0;
  for (let i = 1; i < games.length; i++) {
    if (games[i].shape.rows * games[i].shape.cols > games[best].shape.rows * games[best].shape.cols) best = i;
  }
  return best;
}

/** How many of `games` self-play games each size gets: each game draws its size with probability ∝ weight. */
export function drawSizeCounts(weights: readonly number[], games: number, rng: Rng): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map(() => 0);
  for (let i = 0; i < games; i++) {
    let u = rng.next() * total;
    let k = 0;
    while (k < weights.length - 1 && u >= weights[k]) {
      u -= weights[k];
      k++;
    }
    counts[k]++;
  }
  return counts;
}

/**
 * The order of an iteration's gradient steps over the sizes: `steps[k]` steps of size k, shuffled
 * (Fisher-Yates) so the sizes mix across steps instead of following each other in blocks.
 */
export function interleaveSteps(steps: readonly number[], rng: Rng): number[] {
  const order: number[] = [];
  steps.forEach((n, k) => {
    for (let i = 0; i < n; i++) order.push(k);
  });
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
