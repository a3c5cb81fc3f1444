/** A temperature that decays over a game's moves (move sampling, the root policy temperature). */
export interface TemperatureSchedule {
  readonly initial: number;
  readonly final: number;
  readonly halfLifeMoves: number;
}

/**
 * Temperature of move `moveNumber` (0-based): `final + (initial − final)·2^(−m/halfLife)`, the
 * decay of KataGo's chosenMoveTemperature and rootPolicyTemperature (selfplay configs).
 */
export function moveTemperature(t: TemperatureSchedule, moveNumber: number): number {
  return t.final + (t.initial - t.final) * Math.pow(0.5, moveNumber / t.halfLifeMoves);
}
