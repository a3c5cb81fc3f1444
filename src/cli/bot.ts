import type { Command } from 'commander';
import { resolveBgioGame } from '../boardgameio/game-source.js';
import { runNetworkedBot } from '../boardgameio/client.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

interface BotOptions {
  server: string;
  game?: string;
  gameModule?: string;
  match?: string;
  create?: boolean;
  player: string;
  agent: string;
  credentials?: string;
  name?: string;
  seed?: string;
  moveTimeMs?: number;
  timeout: number;
  reconnectTimeout: number;
}

export function register(program: Command): void {
  const command = program
    .command('bot')
    .summary('play one match on a boardgame.io server as a bot')
    .description('play a match on a boardgame.io server as a networked arbor bot: join a match (--match) or create one (--create), play until it ends, print {"result","matchID","playerID"} as the last line. Give the game as an arbor spec (--game) or a boardgame.io Game module (--game-module).')
    .requiredOption('--server <url>', 'server URL, e.g. http://127.0.0.1:8000')
    .option('--game <spec>', 'an arbor game, e.g. connect4 (the server must host the same spec)')
    .option('--game-module <file[#export]>', "a user's boardgame.io Game from a CommonJS or ESM module (export defaults to default)")
    .option('--match <id>', 'join this match')
    .option('--create', 'create a new listed 2-player match and join it')
    .requiredOption('--player <seat>', 'the seat to take: 0, 1, ...')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy or uct:simulations=2000')
    .option('--credentials <token>', 'credentials of a seat joined earlier (skips the join)')
    .option('--name <name>', 'player name shown in the lobby')
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed for the agent', 'fresh'))
    .addOption(optionWithRuntimeDefault('--move-time-ms <ms>', 'per-move time budget for agents that honour one', 'none', intOption('--move-time-ms', 1)))
    .option('--timeout <ms>', 'bound on every wait: lobby requests, first state, move confirmation', intOption('--timeout', 100), 10_000)
    .option('--reconnect-timeout <ms>', 'how long a dropped connection may stay down', intOption('--reconnect-timeout', 100), 30_000)
    .action(action(async (opts: BotOptions) => {
      const game = await resolveBgioGame(opts);
      const result = await runNetworkedBot({
        server: opts.server,
        game,
        agent: opts.agent,
        playerID: opts.player,
        matchID: opts.match,
        create: opts.create,
        credentials: opts.credentials,
        playerName: opts.name,
        seed: opts.seed,
        moveTimeMs: opts.moveTimeMs,
        timeouts: { requestMs: opts.timeout, connectMs: opts.timeout, confirmMs: opts.timeout, reconnectMs: opts.reconnectTimeout },
        log: (line) => process.stderr.write(`arbor bot: ${line}\n`),
      });
      printJson({ result: result.result, matchID: result.matchID, playerID: result.playerID });
      // socket.io may hold handles for a moment after stop(); the match is over, so leave now.
      process.exit(0);
    }));
  withExamples(command, [
    { command: 'arbor bot --server http://127.0.0.1:8000 --game connect4 --create --player 0 --agent uct:simulations=2000', note: 'create a match on a server from arbor serve --game connect4 --port 8000 --bots 1=greedy; play X' },
    { command: 'arbor bot --server http://127.0.0.1:8000 --game connect4 --match MATCH_ID --player 1 --agent greedy --move-time-ms 500', note: 'join a match as the second player (a bot that creates one prints "created match ID")' },
  ]);
}
