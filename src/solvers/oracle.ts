import { type Agent, ArborError, type Game, type State } from '../core/index.js';
import { STAGES, type LabelledPosition, type Stage } from './positions.js';

/**
 * The "does it learn?" oracle: grades an agent's move in labelled positions against exact
 * scores.
 * - class-optimal: the move keeps the best win/draw/loss class available;
 * - score-optimal: the move is one of the best-scoring moves (fastest win, slowest loss);
 * - decisive position: some legal move changes the class, so a wrong move costs something
 *   (elsewhere almost any move is fine, which is why the decisive rate tells agents apart).
 */
export interface MoveGrade {
  readonly classOptimal: boolean;
  readonly scoreOptimal: boolean;
  readonly decisive: boolean;
}

export function gradeMove(scores: readonly (number | null)[], action: number): MoveGrade {
  let best = -Infinity;
  let worstClass = 2;
  for (const v of scores) {
    if (v === null) continue;
    if (v > best) best = v;
    if (Math.sign(v) < worstClass) worstClass = Math.sign(v);
  }
  const chosen = scores[action];
  if (chosen === null || chosen === undefined) throw new ArborError(`oracle: move ${action} is not legal in this position`);
  return {
    classOptimal: Math.sign(chosen) === Math.sign(best),
    scoreOptimal: chosen === best,
    decisive: worstClass !== Math.sign(best),
  };
}

export interface StageMetrics {
  readonly stage: Stage;
  readonly positions: number;
  readonly classOptimalRate: number;
  readonly scoreOptimalRate: number;
  readonly decisivePositions: number;
  readonly decisiveClassOptimalRate: number;
}

export interface OracleMetrics {
  readonly positions: number;
  readonly classOptimalRate: number;
  readonly scoreOptimalRate: number;
  readonly decisivePositions: number;
  readonly decisiveClassOptimalRate: number;
  readonly decisiveScoreOptimalRate: number;
  readonly byStage: StageMetrics[];
  /** Share of positions where the agent's value's class (win > 1/3, loss < -1/3, else draw) matches the exact one; null without a value. */
  readonly valueAccuracy: number | null;
}

/**
 * An agent that can also say how good a position is: `value(state)` in [-1, 1] for the player
 * to move (e.g. a network's value head). The oracle grades it when present.
 */
export interface ValueAgent extends Agent {
  value(state: State): Promise<number>;
}

export function hasValue(agent: Agent): agent is ValueAgent {
  return typeof (agent as Partial<ValueAgent>).value === 'function';
}

class Tally {
  positions = 0;
  classOk = 0;
  scoreOk = 0;
  decisive = 0;
  decisiveClassOk = 0;
  decisiveScoreOk = 0;
  add(g: MoveGrade): void {
    this.positions++;
    if (g.classOptimal) this.classOk++;
    if (g.scoreOptimal) this.scoreOk++;
    if (g.decisive) {
      this.decisive++;
      if (g.classOptimal) this.decisiveClassOk++;
      if (g.scoreOptimal) this.decisiveScoreOk++;
    }
  }
}

const rate = (k: number, n: number) => (n === 0 ? 0 : k / n);

/** Plays the agent once in every position and returns the oracle's metrics. */
export async function evaluateAgentOnPositions(agent: Agent, game: Game, positions: readonly LabelledPosition[]): Promise<OracleMetrics> {
  const all = new Tally();
  const stages = new Map<Stage, Tally>(STAGES.map((s) => [s, new Tally()]));
  const withValue = hasValue(agent);
  let valueOk = 0;
  for (const p of positions) {
    const state = game.parseState(p.moves);
    agent.reset?.();
    const action = await agent.selectAction(state);
    if (!state.isLegal(action)) throw new Error(`agent ${agent.name} chose illegal move ${action} in ${p.moves}`);
    const grade = gradeMove(p.scores, action);
    all.add(grade);
    stages.get(p.stage)!.add(grade);
    if (withValue) {
      const v = await agent.value(state);
      const best = Math.max(...p.scores.filter((s): s is number => s !== null));
      const cls = v > 1 / 3 ? 1 : v < -1 / 3 ? -1 : 0;
      if (cls === Math.sign(best)) valueOk++;
    }
  }
  return {
    positions: all.positions,
    classOptimalRate: rate(all.classOk, all.positions),
    scoreOptimalRate: rate(all.scoreOk, all.positions),
    decisivePositions: all.decisive,
    decisiveClassOptimalRate: rate(all.decisiveClassOk, all.decisive),
    decisiveScoreOptimalRate: rate(all.decisiveScoreOk, all.decisive),
    byStage: STAGES.filter((s) => stages.get(s)!.positions > 0).map((s) => {
      const t = stages.get(s)!;
      return {
        stage: s,
        positions: t.positions,
        classOptimalRate: rate(t.classOk, t.positions),
        scoreOptimalRate: rate(t.scoreOk, t.positions),
        decisivePositions: t.decisive,
        decisiveClassOptimalRate: rate(t.decisiveClassOk, t.decisive),
      };
    }),
    valueAccuracy: withValue ? rate(valueOk, all.positions) : null,
  };
}
