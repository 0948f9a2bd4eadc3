// A WebSocket relay on 127.0.0.1 for source tests: runs `script` for each connection (numbered from
// 1), keeps every frame clients send back, and is closed after each test.
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

const servers: WebSocketServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

export async function wsRelay(script: (ws: WebSocket, connection: number) => void): Promise<{ url: string; sent: Buffer[] }> {
  let connections = 0;
  const sent: Buffer[] = [];
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  server.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => sent.push(data));
    script(ws, ++connections);
  });
  await new Promise((r) => server.once('listening', r));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, sent };
}
