// The desktop transport, engine side: the engine running in Electron's utility process, answering
// requests that arrive on the parent port and posting its streams back. No electron import: the
// port is a global of the utility process.
import { version } from '../../package.json';
import { engineOptions, parseCliOptions } from '../cli/options';
import { dispatch } from '../contract';
import { Engine } from '../engine/engine';

const port = process.parentPort;
const engine = new Engine(engineOptions(parseCliOptions(process.argv.slice(2)), version));

engine.onPush((push) => port.postMessage(push));
port.on('message', (event) => {
  void dispatch(engine.handlers, event.data).then((reply) => port.postMessage(reply));
});
process.once('SIGTERM', () => {
  void engine.stop().finally(() => process.exit(0));
});
engine.start();
