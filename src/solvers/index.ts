/**
 * Public face of the solvers: exact scores for games small enough to solve, the labelled
 * position sets made with them, and the oracle that grades an agent's moves against them.
 * Importing it registers the `solver` agent.
 */
export { createSolver, hasSolver, SOLVABLE_GAMES, type ExactSolver } from './solver.js';
export { GenericSolver, type GenericSolverOptions } from './generic.js';
export { Connect4Solver, createConnect4Solver, connect4SolverFits, loadShippedBook, type Connect4SolverOptions } from './connect4/index.js';
export { STAGES, stageOf, labelPosition, formatPositions, parsePositions, readPositionsFile, loadPositions, shippedPositionsName, shippedPositionsPath, type LabelledPosition, type Stage } from './positions.js';
export { gradeMove, evaluateAgentOnPositions, hasValue, type MoveGrade, type OracleMetrics, type StageMetrics, type ValueAgent } from './oracle.js';
export { solverAgent } from './solver-agent.js';
import './register.js';
