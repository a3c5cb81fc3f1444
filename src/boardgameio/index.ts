/**
 * Public face of arbor's boardgame.io layer (`arbor/boardgameio`): arbor games as boardgame.io
 * games, boardgame.io games as arbor games, arbor agents as boardgame.io bots, and the networked
 * bot and server behind `arbor bot` / `arbor serve`. Importing it registers the `bgio-mcts` agent.
 */
export { toBoardgameIO, arborStateOf, PLAY_MOVE, type ArborG, type ArborBgioGame } from './to-bgio.js';
export {
  fromBoardgameIO,
  isWrappedBgioGame,
  genericEncoder,
  type FromBoardgameIOOptions,
  type BgioEncoder,
  type BgioMoveDescriptor,
  type WrappedBgioGame,
  type WrappedBgioState,
} from './from-bgio.js';
export { arborBot, type ArborBotOptions, type ArborBotClass } from './bot.js';
export { runNetworkedBot, type NetworkedBotOptions, type NetworkedBotResult, type NetworkedBotTimeouts } from './client.js';
export { startArborServer, type ArborServerOptions, type RunningArborServer } from './server.js';
import './register.js';
