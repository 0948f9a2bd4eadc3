// Fuzz targets of the contract's request handling: envelopes and arguments of every method through
// `dispatch` (as the utility process and the WebSocket both run it), and raw frames sent to the real
// browser-mode server on 127.0.0.1, whose every reply must be the one dispatch gives, or a typed
// refusal of a frame that is not JSON; the connection stays up throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { dispatch, errorCodes, methods, requests, type Handlers, type Method, type WireReply } from '../../../src-main/contract';
import { startWebServer, type WebServer } from '../../../src-main/transport/ws-server';
import { WsClient } from '../../helpers/ws-client';
import { deepJsonText, jsonValue, mutatedBytes, mutatedJson, number, shaped, text } from '../arbitraries';
import { contractRequests } from '../fixtures';
import { expectThat, type FuzzTarget } from '../property';

/** Handlers that take any arguments and answer null, remembering what they were given. */
function recordingHandlers(): { handlers: Handlers; calls: { method: Method; args: unknown }[] } {
  const calls: { method: Method; args: unknown }[] = [];
  const handlers = Object.fromEntries(methods.map((method) => [method, (args: unknown) => (calls.push({ method, args }), null)])) as unknown as Handlers;
  return { handlers, calls };
}

const requestArgs = contractRequests().map((r) => r.args);
const toJson = (value: unknown): string => JSON.stringify(value) ?? 'null';
/** Requests as JSON text: real ones mutated, envelopes of any method with any arguments, anything at all, deep nesting. */
const requestJson: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedJson(contractRequests()).map(toJson), weight: 4 },
  {
    arbitrary: shaped({
      id: fc.oneof(fc.nat(), number),
      method: fc.oneof(fc.constantFrom(...methods), fc.constantFrom('constructor', '__proto__', 'toString'), text),
      args: fc.oneof(jsonValue, mutatedJson(requestArgs)),
    }).map(toJson),
    weight: 3,
  },
  jsonValue.map(toJson),
  deepJsonText,
  deepJsonText.map((deep) => `{"id":1,"method":"saveSegment","args":{"id":"deep","name":"deep","tree":${deep}}}`),
);

/** JSON text of a value; undefined for one nested too deep to write out (a segment's tree, a rule's JSON: passed on unchecked, to their own bounded schemas). */
function writable(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(errorCodes);

/** A reply as the contract promises it: ok with a result, or a typed error that is not the handlers' own (they never throw). */
function checkReply(reply: WireReply, raw: unknown): void {
  const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : null;
  if (reply.ok) return expectThat(reply.id === id, () => `replied to ${id} as ${reply.id}`);
  expectThat(KNOWN_CODES.has(reply.error.code) && reply.error.code !== 'internal', () => `an error reply ${JSON.stringify(reply).slice(0, 500)}`);
  expectThat(typeof reply.error.message === 'string' && reply.error.message.length > 0, () => 'an error reply without a message');
  expectThat(reply.id === id || reply.id === null, () => `replied to ${id} as ${reply.id}`);
}

export const contractDispatch: FuzzTarget<{ json: string; viewOnly: boolean }> = {
  name: 'contract',
  runs: 150,
  async: true,
  arbitrary: fc.record({ json: requestJson, viewOnly: fc.boolean() }),
  async check({ json, viewOnly }) {
    const { handlers, calls } = recordingHandlers();
    const raw: unknown = JSON.parse(json);
    const reply = await dispatch(handlers, raw, viewOnly);
    checkReply(reply, raw);
    expectThat(JSON.stringify(reply) !== undefined, () => 'a reply that is not JSON');
    expectThat(calls.length === (reply.ok ? 1 : 0), () => `${calls.length} handler calls for a reply ok=${reply.ok}`);
    if (!reply.ok) return;
    // What a handler is given is its method's arguments, checked: checking them again changes nothing.
    const [{ method, args }] = calls;
    const again = requests[method].args.safeParse(args);
    const given = writable(args);
    expectThat(again.success && writable(again.data) === given, () => `${method} was given ${given?.slice(0, 300)}, which checks as ${again.success ? writable(again.data)?.slice(0, 300) : 'invalid'}`);
  },
};

/** The server's limits set out of the way: the frames, not the rate, are what is fuzzed here. */
const MAX_REQUEST_BYTES = 1024 * 1024;

let server: { web: WebServer; client: WsClient; staticDir: string } | undefined;
const handlersOfServer = recordingHandlers();

/** Frames a page might send: requests as JSON text, mutated real ones, any bytes; now and then as a binary frame. */
const frames: fc.Arbitrary<{ data: string | Uint8Array; binary: boolean }> = fc.record({
  data: fc.oneof(
    { arbitrary: requestJson, weight: 4 },
    mutatedBytes(contractRequests().map((r) => Buffer.from(JSON.stringify(r)))),
    fc.uint8Array({ maxLength: 32 }),
    text,
  ),
  binary: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, fc.constant(true)),
});

export const wsContract: FuzzTarget<{ data: string | Uint8Array; binary: boolean }> = {
  name: 'ws-contract',
  runs: 60,
  async: true,
  arbitrary: frames,
  async open() {
    const staticDir = mkdtempSync(join(tmpdir(), 'livedeck-fuzz-static-'));
    const web = await startWebServer({
      handlers: handlersOfServer.handlers,
      onPush: () => () => {},
      staticDir,
      host: '127.0.0.1',
      port: 0,
      limits: { maxRequestBytes: MAX_REQUEST_BYTES, burst: 1e9, perSecond: 1e9 },
    });
    const client = await WsClient.open(`${web.url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`);
    server = { web, client, staticDir };
  },
  async close() {
    server?.client.close();
    await server?.web.close();
    if (server) rmSync(server.staticDir, { recursive: true, force: true });
    server = undefined;
  },
  async check({ data, binary }) {
    const { client } = server!;
    const bytes = Buffer.from(data);
    handlersOfServer.calls.length = 0;
    client.send(bytes, binary);
    const reply = await Promise.race([client.nextReply(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no reply within 3 s')), 3_000))]);
    expectThat(client.ws.readyState === client.ws.OPEN, () => 'the connection closed');
    let raw: unknown;
    let json = !binary && bytes.length <= MAX_REQUEST_BYTES;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      json = false;
    }
    if (bytes.length > MAX_REQUEST_BYTES) return expectThat(!reply.ok && reply.error.code === 'too_large', () => `a frame of ${bytes.length} bytes answered ${JSON.stringify(reply).slice(0, 300)}`);
    if (!json) return expectThat(!reply.ok && reply.error.code === 'bad_json' && reply.id === null, () => `a frame that is no JSON text answered ${JSON.stringify(reply).slice(0, 300)}`);
    // The server answers exactly as dispatch does over the same handlers.
    const expected = await dispatch(recordingHandlers().handlers, raw);
    expectThat(JSON.stringify(reply) === JSON.stringify(expected), () => `the server answered ${JSON.stringify(reply).slice(0, 300)}, dispatch answers ${JSON.stringify(expected).slice(0, 300)}`);
    checkReply(reply, raw);
  },
};
