// Raw frames kept for a source that asks: exactly what came off the wire (garbage included), with the
// session, exported as NDJSON, bounded per source, and dropped when a person they name is erased.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type WireReply } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { openDb } from '../../src-main/storage/db';
import { MAX_FRAMES, RawFrames, dropRawFramesNaming, readRawFrames } from '../../src-main/storage/raw-frames';
import { Ingress } from '../../src-main/pipeline/ingress';
import { Intake } from '../../src-main/sources/intake';
import { Recorder } from '../../src-main/storage/recorder';
import { relayEvent, until } from '../helpers/collect';
import { tempDir } from '../helpers/temp-dir';
import { wsRelay } from '../helpers/ws-relay';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const call = async <T>(method: string, args: unknown): Promise<T> => {
  const reply: WireReply = await dispatch(engine!.handlers, { id: 1, method, args });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as T;
};

describe('raw frames', () => {
  it('keeps what a source set to keep them received, and exports it as NDJSON', async () => {
    const chat = JSON.stringify(relayEvent(1));
    const relay = await wsRelay((ws) => {
      ws.send(chat);
      ws.send('{"kind": "chat", broken');
      ws.send(Buffer.from([0xff, 0x00, 0x9c]), { binary: true });
    });
    engine = new Engine({ dataDir: tempDir(), version: 't' });
    engine.start();
    await call('setSourceEnabled', { id: 'demo', enabled: false });
    await call('saveSource', { name: '调试 WS', type: 'ws', platform: 'douyin', enabled: true, url: relay.url, keepRaw: true });
    await until(async () => (await call<{ health: { received: number } }[]>('listSources', {})).some((s) => s.health.received >= 3));
    const { session } = await call<{ session: { id: string } }>('getInfo', {});
    await new Promise((r) => setTimeout(r, 400)); // the engine's flush
    const info = await call<{ downloadId: string; fileName: string }>('exportSession', { id: session.id, as: 'raw_frames', identities: false });
    expect(info.fileName).toMatch(/-raw-frames\.ndjson$/);
    const { data, done } = await call<{ data: string; done: boolean }>('readDownload', { downloadId: info.downloadId, offset: 0 });
    expect(done).toBe(true);
    const lines = Buffer.from(data, 'base64').toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { text?: string; base64?: string; source: string });
    expect(lines.map((l) => l.text ?? l.base64)).toEqual([chat, '{"kind": "chat", broken', Buffer.from([0xff, 0x00, 0x9c]).toString('base64')]);
  });

  it('keeps a parsed value (a socket.io event) as its JSON, and one nested too deep to write out as a note saying so', () => {
    const frames: unknown[] = [];
    const intake = new Intake({ id: 'src', platform: 'tiktok', roomId: 'room' }, new Ingress(() => {}), (frame) => frames.push(frame));
    // A hostile relay's packet: JSON.parse takes any depth, JSON.stringify overflows the stack.
    intake.rawValue(['danmu', JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))]);
    intake.rawValue(['danmu', { text: '好看' }]);
    expect(frames).toEqual(['(nested too deep to show)', '["danmu",{"text":"好看"}]']);
    new Intake({ id: 'quiet', platform: 'tiktok', roomId: 'room' }, new Ingress(() => {})).rawValue(['danmu', {}]); // kept nowhere, no error
  });

  it('keeps the newest frames of each source, and loses those naming an erased person', () => {
    const db = openDb(tempDir());
    const { id } = new Recorder(db, 't', []).session;
    const frames = new RawFrames(db, id);
    for (let i = 0; i < MAX_FRAMES + 5; i++) frames.add('a', `{"n":${i},"user":{"id":"u-${i % 100}"}}`);
    frames.add('b', 'other source');
    frames.flush();
    const kept = [...readRawFrames(db, id)];
    expect(kept.filter((f) => f.sourceId === 'a')).toHaveLength(MAX_FRAMES);
    expect(kept[0].data.toString()).toContain('"n":5,');
    expect(kept.filter((f) => f.sourceId === 'b')).toHaveLength(1);
    expect(dropRawFramesNaming(db, 'u-42"')).toBe(MAX_FRAMES / 100);
  });
});
