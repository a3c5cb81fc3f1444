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
// What a user of this layer expects to find registered: the built-in agent kinds (agents, and
// solver from the solvers layer) and the loader behind model=PATH (networks; it loads tfjs and
// ONNX Runtime only when a model is asked for), `lib:NAME` references to the module library included.
import '../agents/index.js';
import '../solvers/index.js';
import '../networks/register.js';
import '../transfer/register.js';
import '../programs/register.js';
import './register.js';
