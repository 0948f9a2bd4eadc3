// Browser mode as one unit: an engine plus the HTTP/WebSocket server that exposes it. Used by
// `npm run web`, by `npm start` when Electron is missing, and by the end-to-end tests.
import { Engine } from '../engine/engine';
import { engineOptions, type CliOptions } from '../cli/options';
import { startWebServer, type WebServer } from './ws-server';

export interface BrowserMode {
  engine: Engine;
  server: WebServer;
  close(): Promise<void>;
}

export async function startBrowserMode(options: CliOptions & { staticDir: string; version: string }): Promise<BrowserMode> {
  const engine = new Engine(engineOptions(options, options.version));
  engine.start();
  try {
    const server = await startWebServer({
      handlers: engine.handlers,
      onPush: (listener) => engine.onPush(listener),
      staticDir: options.staticDir,
      host: options.host,
      port: options.port,
      token: options.token,
    });
    return {
      engine,
      server,
      close: async () => {
        await server.close();
        await engine.stop();
      },
    };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}
