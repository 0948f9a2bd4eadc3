// Browser mode's server in front of a real engine playing the demo room, on 127.0.0.1 and a free port,
// over a throwaway static folder (index.html and one script): what the transport tests share. Every
// server started is closed, with its engine, after each test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src-main/transport/ws-server';
import { tempDir } from './temp-dir';

export interface TestServer {
  engine: Engine;
  server: WebServer;
  /** `http://127.0.0.1:port` and `ws://127.0.0.1:port/ws`, without a token. */
  http: string;
  ws: string;
}

const running: TestServer[] = [];

afterEach(async () => {
  for (const { server, engine } of running.splice(0)) {
    await server.close();
    await engine.stop();
  }
});

export async function startTestServer(options: Partial<Pick<WebServerOptions, 'token' | 'limits'>> & { demoRate?: number } = {}): Promise<TestServer> {
  const { demoRate = 200, ...serverOptions } = options;
  const staticDir = tempDir();
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>LiveDeck</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const engine = new Engine({ dataDir: tempDir(), version: '0.0.0-test', demo: { seed: 1, rate: demoRate }, snapshotEveryMs: 50 });
  engine.start();
  try {
    const server = await startWebServer({ handlers: engine.handlers, onPush: (l) => engine.onPush(l), staticDir, host: '127.0.0.1', port: 0, ...serverOptions });
    const { host } = new URL(server.url);
    const started = { engine, server, http: `http://${host}`, ws: `ws://${host}/ws` };
    running.push(started);
    return started;
  } catch (err) {
    await engine.stop();
    throw err;
  }
}
