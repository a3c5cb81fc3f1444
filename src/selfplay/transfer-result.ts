import type { CurvePoint } from '../transfer/measure-curve.js';
import type { TrainConfig } from './config.js';

/** transfer.json of `arbor transfer` (docs/transfer-measure.md describes every field). */

export const TRANSFER_FORMAT = 'arbor-transfer/1';

export interface ArmResult {
  runDir: string;
  iterations: number;
  elapsedS: number;
  /** `raw`: the raw network's strength at the point, when the oracle measures search and raw network. */
  curve: (CurvePoint & { iteration: number; raw?: number })[];
  /** Target games at which the strength first reached the threshold, or null. */
  reachedAt: number | null;
  /** Mean strength over log2(1 + games / gamesPerIteration) (trapezoids). */
  area: number;
}

export interface TransferResult {
  format: typeof TRANSFER_FORMAT;
  target: string;
  init: NonNullable<TrainConfig['init']>;
  seed: string;
  configFile: string | null;
  budget: { games: number | null; minutes: number | null; iterations: number };
  gamesPerIteration: number;
  strength:
    | { kind: 'oracle'; simulations: number; positions: number; measure: string }
    | { kind: 'games'; simulations: number; reference: string; games: number; measure: string };
  threshold: { value: number; rule: string };
  jumpstart: { scratch: number; transfer: number; gain: number };
  arms: { scratch: ArmResult; transfer: ArmResult };
  /** scratch.reachedAt / transfer.reachedAt (null when either is null or transfer's is 0). */
  ratio: number | null;
  /** transfer.area - scratch.area. */
  areaGain: number;
  /** The raw network's figures beside search's (oracle with --simulations above 1), else null. */
  raw: {
    threshold: { value: number; rule: string };
    jumpstart: { scratch: number; transfer: number };
    reachedAt: { scratch: number | null; transfer: number | null };
    ratio: number | null;
    area: { scratch: number; transfer: number };
  } | null;
  reportPath: string;
}
