import type { Game as BgioGame, State as BgioState } from 'boardgame.io';
import type { Bot as BgioBot } from 'boardgame.io/ai';
import { createAgent, validateAgentSpec, type Agent } from '../core/index.js';
import { adapterFor, bgioActionOf, type BgioAdapter } from './adapter.js';
import { bgioAi } from './bgio.js';
import type { FromBoardgameIOOptions } from './from-bgio.js';

export interface ArborBotOptions {
  /** Seed of the agent's random streams (default: boardgame.io's `game.seed`, else `arbor-bot`). */
  readonly seed?: string;
  /** Per-move time budget handed to agents that honour one. */
  readonly moveTimeMs?: number;
  /** How to wrap a game that was not made by `toBoardgameIO` (see `fromBoardgameIO`). */
  readonly wrap?: FromBoardgameIOOptions;
  /** Where problems are reported (default: one line on stderr). */
  readonly log?: (message: string) => void;
}

/** What boardgame.io passes to a bot's constructor (`Local` passes `{ game, enumerate, seed }`). */
export interface ArborBotConstructorOptions {
  readonly game?: BgioGame;
  readonly enumerate?: unknown;
  readonly seed?: string | number;
}

type BotResult = Awaited<ReturnType<BgioBot['play']>>;
export type ArborBotClass = new (opts: ArborBotConstructorOptions) => BgioBot;

/**
 * A boardgame.io `Bot` class playing an arbor agent, configured without subclassing:
 * `Local({ bots: { '1': arborBot('uct:simulations=2000') } })`, or `new (arborBot('greedy'))({ game })`
 * in `Simulate`. The spec is checked here, so a typo fails before any game starts.
 */
export function arborBot(spec: string, options: ArborBotOptions = {}): ArborBotClass {
  validateAgentSpec(spec);
  const { Bot } = bgioAi();
  const log = options.log ?? ((m: string) => process.stderr.write(`arbor bot: ${m}\n`));

  return class ArborBot extends Bot {
    readonly agentSpec = spec;
    private readonly bgioGame: BgioGame | undefined;
    private readonly agentSeed: string;
    private adapter: BgioAdapter | undefined;
    private agent: Promise<Agent> | undefined;

    constructor(opts: ArborBotConstructorOptions) {
      super({ enumerate: (opts?.enumerate ?? opts?.game?.ai?.enumerate) as never, seed: opts?.seed });
      this.bgioGame = opts?.game;
      this.agentSeed = options.seed ?? (opts?.seed !== undefined ? String(opts.seed) : 'arbor-bot');
    }

    override async play(state: BgioState, playerID: string): Promise<BotResult> {
      try {
        if (!this.bgioGame) {
          log(`${spec}: constructed without { game }; pass new Bot({ game, enumerate: game.ai.enumerate }) (Local does this)`);
          return noMove(playerID);
        }
        this.adapter ??= adapterFor(this.bgioGame, options.wrap);
        const position = this.adapter.stateOf(state);
        if (position.isTerminal() || String(position.currentPlayer()) !== String(playerID)) return noMove(playerID);
        this.agent ??= createAgent(spec, { game: this.adapter.game, seed: this.agentSeed });
        const agent = await this.agent;
        const action = await agent.selectAction(position, options.moveTimeMs !== undefined ? { moveTimeMs: options.moveTimeMs } : undefined);
        if (!position.isLegal(action)) {
          log(`${spec} chose ${action}, which is not legal here; no move made`);
          return noMove(playerID);
        }
        return { action: bgioActionOf(this.adapter.moveOf(action), playerID) as BotResult['action'] };
      } catch (e) {
        log(`${spec} could not move: ${(e as Error).message}`);
        return noMove(playerID);
      }
    }
  };
}

/**
 * "No move", in a form neither host crashes on. `Simulate` stops when `result.action` is falsy;
 * `Local` (0.50.2, socketio-638b66b8.js `LocalMaster`) evaluates `onUpdate(botAction.action, ...,
 * botAction.action.payload.playerID)`, so a plain `undefined` throws inside its timer and kills the
 * process. The getter answers `undefined` on the first read (Simulate's test; Local's `onUpdate`,
 * which then ignores the missing action) and a harmless stub afterwards (Local's
 * `.payload.playerID`).
 */
function noMove(playerID: string): BotResult {
  let reads = 0;
  return {
    get action() {
      return reads++ === 0 ? undefined : ({ type: 'MAKE_MOVE', payload: { type: '', args: [], playerID } } as never);
    },
  } as unknown as BotResult;
}
