import { describe, expect, it } from 'vitest';
import { createAgent, isArborError } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { evaluateAgentOnPositions, gradeMove, loadPositions, parsePositions, stageOf } from '../../src/solvers/index.js';

describe('oracle', () => {
  it('grades hand-made choices: class-optimal, score-optimal, decisive', () => {
    const scores = [3, 1, 0, null, -2];
    expect(gradeMove(scores, 0)).toEqual({ classOptimal: true, scoreOptimal: true, decisive: true });
    expect(gradeMove(scores, 1)).toEqual({ classOptimal: true, scoreOptimal: false, decisive: true });
    expect(gradeMove(scores, 2)).toEqual({ classOptimal: false, scoreOptimal: false, decisive: true });
    // Every move wins: not decisive, and a slower win is class- but not score-optimal.
    expect(gradeMove([5, 2], 1)).toEqual({ classOptimal: true, scoreOptimal: false, decisive: false });
    // Every move loses: the slowest loss is score-optimal.
    expect(gradeMove([-4, -1], 1)).toEqual({ classOptimal: true, scoreOptimal: true, decisive: false });
    expect(() => gradeMove(scores, 3)).toThrow(/not legal/);
  });

  it('stages follow Pons on 6x7: <= 14 stones opening, 15-28 middle, > 28 end', () => {
    const game = createGame('connect4');
    expect([stageOf(game, 14), stageOf(game, 15), stageOf(game, 28), stageOf(game, 29)]).toEqual(['opening', 'middle', 'middle', 'end']);
  });

  it('ships every reachable tic-tac-toe position not yet over (4,520 of 5,478)', () => {
    const game = createGame('tictactoe');
    const set = loadPositions(game);
    expect(set.length).toBe(4520);
    expect(set[0]).toEqual({ moves: '', stones: 0, stage: 'opening', scores: [0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it('the solver agent is perfect and random is not', async () => {
    const game = createGame('tictactoe');
    const set = loadPositions(game);
    const perfect = await evaluateAgentOnPositions(await createAgent('solver', { game, seed: 's' }), game, set);
    expect(perfect).toMatchObject({ positions: 4520, classOptimalRate: 1, scoreOptimalRate: 1, decisiveClassOptimalRate: 1, valueAccuracy: 1 });
    expect(perfect.byStage.map((s) => s.stage)).toEqual(['opening', 'middle', 'end']);
    const random = await evaluateAgentOnPositions(await createAgent('random', { game, seed: 's' }), game, set);
    expect(random.decisiveClassOptimalRate).toBeLessThan(0.8);
    expect(random.valueAccuracy).toBeNull();
    expect(random.decisivePositions).toBe(perfect.decisivePositions);
  });

  it('ships >= 1,000 labelled Connect Four positions at every stage, consistent with the rules', () => {
    const game = createGame('connect4');
    const set = loadPositions(game);
    expect(set.length).toBeGreaterThanOrEqual(1000);
    for (const stage of ['opening', 'middle', 'end']) expect(set.filter((p) => p.stage === stage).length).toBeGreaterThanOrEqual(100);
  });

  it('the solver agent plays the fastest win and breaks ties by its seed', async () => {
    const ttt = createGame('tictactoe');
    const agent = await createAgent('solver', { game: ttt, seed: 'x' });
    // X (a1, a2) to move wins at once with a3 (cell 6); O threatens b3.
    expect(await agent.selectAction(ttt.parseState('a1 b1 a2 b2'))).toBe(6);
    // Every first move draws in tic-tac-toe: the same seed picks the same one.
    const a = await createAgent('solver', { game: createGame('tictactoe'), seed: 'one' });
    const b = await createAgent('solver', { game: createGame('tictactoe'), seed: 'one' });
    const s = createGame('tictactoe').newInitialState();
    expect(await a.selectAction(s)).toBe(await b.selectAction(s));
  });

  it('has a clear error for games without a solver, and for bad position files', async () => {
    await expect(createAgent('solver', { game: createGame('othello:size=6'), seed: 's' })).rejects.toThrow(/no solver for othello/);
    const game = createGame('tictactoe');
    const bad = (text: string) => {
      try {
        parsePositions(text, game, 'f.jsonl');
      } catch (e) {
        expect(isArborError(e)).toBe(true);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad('{oops')).toMatch(/f.jsonl:1: not JSON/);
    expect(bad('{"moves":"a1","scores":[1,2]}')).toMatch(/9 entries/);
    expect(bad('{"moves":"a1","scores":[0,0,0,0,0,0,0,0,0]}')).toMatch(/scores\[0\] is 0 but move a1 is illegal/);
  });
});
