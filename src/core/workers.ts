import { availableParallelism } from 'node:os';

/**
 * The default number of worker threads for arenas and self-play: every core on machines with
 * one or two, one fewer on bigger ones.
 *
 * Why one rule for both: in each, the main thread has work of its own while the workers play
 * (the arena's scheduling and records; self-play's learner, which trains the network with tfjs
 * while the actors play the next games). On one or two cores, leaving a core to that work would
 * idle it for most of the run (the presets were tuned with two workers on two cores, the learner
 * sharing them); on bigger machines one core for the main thread costs at most a small share of
 * the workers and keeps the learner (or the scheduler) from competing with every worker at once.
 */
export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? cores : cores - 1;
}
