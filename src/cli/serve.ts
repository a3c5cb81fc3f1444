import type { Command } from 'commander';
import { parseBotsOption, startArborServer } from '../boardgameio/server.js';
import { toBoardgameIO } from '../boardgameio/to-bgio.js';
import { ArborError } from '../core/index.js';
import { withExamples } from './help.js';
import { action, intOption } from './run.js';

/** Splits `connect4:rows=5,cols=6,tictactoe` into specs: a `key=value` piece belongs to the spec before it. */
export function splitGameList(values: readonly string[]): string[] {
  const specs: string[] = [];
  for (const value of values) {
    for (const piece of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      if (piece.includes('=') && !piece.includes(':') && specs.length > 0) specs[specs.length - 1] += `,${piece}`;
      else specs.push(piece);
    }
  }
  return specs;
}

export function register(program: Command): void {
  const command = program
    .command('serve')
    .summary('run a boardgame.io server hosting arbor games')
    .description('run a boardgame.io server (lobby API + sockets) on 127.0.0.1 hosting arbor games, with optional resident bots; stops on Ctrl-C')
    .requiredOption('--game <specs...>', 'arbor games to host, e.g. connect4,tictactoe')
    .requiredOption('--port <port>', 'port (0 picks a free one; the bound port is printed)', intOption('--port', 0, 65535))
    .option('--bots <seats>', 'resident bots: "SEAT=AGENT[;SEAT=AGENT]", e.g. "1=greedy"; each joins every new match at its seat (without it, none)')
    .action(action(async (opts: { game: string[]; port: number; bots?: string }) => {
      const specs = splitGameList(opts.game);
      if (specs.length === 0) throw new ArborError('--game: no game given; e.g. --game connect4');
      const games = specs.map((s) => toBoardgameIO(s));
      const bots = opts.bots ? parseBotsOption(opts.bots) : {};
      const server = await startArborServer({
        games,
        port: opts.port,
        bots,
        log: (line) => process.stdout.write(`arbor serve: ${line}\n`),
      });
      const botText = Object.entries(bots).map(([seat, spec]) => `${seat}=${spec}`).join(';') || 'none';
      process.stdout.write(`arbor serve: listening on ${server.url} (games: ${server.games.join(', ')}; bots: ${botText})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.stop();
      process.exit(0);
    }));
  withExamples(command, [
    { command: 'arbor serve --game connect4,tictactoe --port 8000', note: 'host Connect Four and tic-tac-toe on http://127.0.0.1:8000' },
    { command: 'arbor serve --game connect4 --port 8000 --bots "1=uct:simulations=2000"', note: 'a server where tree search takes the second seat of every new match' },
  ]);
}
