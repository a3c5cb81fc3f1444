import cliProgress from 'cli-progress';
import type { IterationMetrics } from './metrics.js';

/**
 * What the learner tells the person at the terminal. The CLI uses a progress bar on a TTY and
 * plain lines otherwise; tests pass `silentReporter`.
 */
export interface TrainReporter {
  /** One-off lines: configuration, backend, workers, evaluation results. */
  info(line: string): void;
  /** Called after every iteration with the latest figures. */
  progress(p: ProgressFigures): void;
  /** Stops the bar (before the closing summary is printed). */
  stop(): void;
}

/** The progress line's figures: the latest iteration's metrics row, the Elo estimate and the share of the budget used. */
export type ProgressFigures = Pick<IterationMetrics, 'iteration' | 'games' | 'positionsPerSecond' | 'policyLoss' | 'valueLoss' | 'actors'> & {
  elo: number | null;
  /** 0..1 of the time or iteration budget, whichever is closer to its end. */
  fraction: number;
};

export const silentReporter: TrainReporter = { info: () => undefined, progress: () => undefined, stop: () => undefined };

const fmt = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));

function describe(p: ProgressFigures): Record<string, string | number> {
  return {
    iter: p.iteration,
    games: p.games,
    pps: p.positionsPerSecond.toFixed(0),
    ploss: fmt(p.policyLoss, 3),
    vloss: fmt(p.valueLoss, 3),
    elo: p.elo === null ? '-' : p.elo.toFixed(0),
    actors: p.actors ? ` | ${describeActors(p.actors)}` : '',
  };
}

/** A distributed run's live actors and their summed throughput, e.g. "3 actors 412 pos/s". */
function describeActors(actors: NonNullable<ProgressFigures['actors']>): string {
  const pps = actors.reduce((sum, a) => sum + a.positionsPerSecond, 0);
  return `${actors.length} actor${actors.length === 1 ? '' : 's'} ${pps.toFixed(0)} pos/s`;
}

/** A cli-progress bar on a terminal; one line per iteration when stderr is not a TTY (logs, CI). */
export function terminalReporter(stream: NodeJS.WriteStream = process.stderr): TrainReporter {
  if (!stream.isTTY) {
    return {
      info: (line) => { stream.write(`${line}\n`); },
      progress: (p) => {
        const d = describe(p);
        stream.write(`iteration ${d.iter}: games ${d.games}, ${d.pps} positions/s, policy loss ${d.ploss}, value loss ${d.vloss}, Elo ${d.elo}${String(d.actors).replace(' |', ',')}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar({
    stream,
    format: ' {bar} {percentage}% | iter {iter} | games {games} | {pps} pos/s | loss p {ploss} v {vloss} | Elo {elo}{actors}',
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const ensure = () => {
    if (!started) {
      bar.start(1000, 0, describe({ iteration: 0, games: 0, positionsPerSecond: 0, policyLoss: null, valueLoss: null, elo: null, fraction: 0 }));
      started = true;
    }
  };
  return {
    info: (line) => {
      if (started) {
        // cli-progress redraws the bar on the line below what is logged.
        stream.write('\r\x1b[K');
        stream.write(`${line}\n`);
        bar.render();
      } else {
        stream.write(`${line}\n`);
      }
    },
    progress: (p) => {
      ensure();
      bar.update(Math.round(Math.min(1, p.fraction) * 1000), describe(p));
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
