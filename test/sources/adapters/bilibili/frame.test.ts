// The goim packet codec: what is encoded decodes back, compressed bodies are walked, and no input,
// however broken, makes the decoder throw: each broken packet is reported and the rest still read.
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePackets, encodePacket, MAX_INFLATED_BYTES, Op, Ver, type PacketSink } from '../../../../src-main/sources/adapters/bilibili/frame';

interface Decoded {
  packets: { op: number; body: string }[];
  bad: string[];
}

function decode(data: Buffer): Decoded {
  const found: Decoded = { packets: [], bad: [] };
  const sink: PacketSink = {
    packet: (op, data, start, end) => found.packets.push({ op, body: data.toString('utf8', start, end) }),
    bad: (message) => found.bad.push(message),
  };
  decodePackets(data, sink);
  return found;
}

const message = (text: string): Buffer => encodePacket(Op.message, text);
const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => JSON.stringify({ cmd: 'DANMU_MSG', n: i }));

/** A seeded generator (mulberry32), so every run tries the same garbage. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('goim packets', () => {
  it('encodes the 16-byte big-endian header', () => {
    const packet = encodePacket(Op.auth, '{"key":"k"}', Ver.int, 7);
    expect([packet.readUInt32BE(0), packet.readUInt16BE(4), packet.readUInt16BE(6), packet.readUInt32BE(8), packet.readUInt32BE(12)]).toEqual([27, 16, 1, 7, 7]);
    expect(packet.subarray(16).toString()).toBe('{"key":"k"}');
  });

  it('decodes packets back to back, and the several packets inside zlib and brotli bodies', () => {
    const popularity = Buffer.alloc(4);
    popularity.writeUInt32BE(4321);
    const inner = Buffer.concat(texts(5).map(message));
    const data = Buffer.concat([
      encodePacket(Op.heartbeatReply, popularity, Ver.int),
      message('{"cmd":"LIVE"}'),
      encodePacket(Op.message, deflateSync(inner), Ver.zlib),
      encodePacket(Op.message, brotliCompressSync(inner), Ver.brotli),
      encodePacket(Op.message, Buffer.alloc(0)),
    ]);
    const { packets, bad } = decode(data);
    expect(bad).toEqual([]);
    expect(packets.map((p) => p.op)).toEqual([Op.heartbeatReply, ...Array<number>(12).fill(Op.message)]);
    expect(packets.slice(1).map((p) => p.body)).toEqual(['{"cmd":"LIVE"}', ...texts(5), ...texts(5), '']);
  });

  it('reports each broken packet and still reads the good ones around it', () => {
    const wrongHeader = message('{"cmd":"X"}');
    wrongHeader.writeUInt16BE(12, 4);
    const { packets, bad } = decode(
      Buffer.concat([
        message('a'),
        wrongHeader,
        message('b'),
        encodePacket(Op.message, Buffer.from('not zlib'), Ver.zlib),
        message('c'),
        encodePacket(Op.message, Buffer.from('not brotli'), Ver.brotli),
        message('d'),
        encodePacket(Op.message, 'x', 9),
        message('e'),
        encodePacket(Op.message, encodePacket(Op.message, brotliCompressSync(message('nested')), Ver.brotli), Ver.json),
        encodePacket(Op.message, brotliCompressSync(encodePacket(Op.message, deflateSync(message('nested')), Ver.zlib)), Ver.brotli),
        message('f'),
        message('truncated').subarray(0, 20),
      ]),
    );
    expect(packets.map((p) => p.body).filter((b) => b.length === 1)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(bad).toEqual([
      'headerLen 12, expected 16',
      expect.stringMatching(/^ver 2 body does not inflate: /),
      expect.stringMatching(/^ver 3 body does not inflate: /),
      'unknown ver 9',
      'compressed packet inside a compressed body',
      'packLen 25 with 20 bytes left',
    ]);
  });

  it('stops at a length it cannot trust: below the header, past the end, or a truncated header', () => {
    const tooShort = message('x');
    tooShort.writeUInt32BE(8, 0);
    expect(decode(Buffer.concat([message('a'), tooShort, message('b')]))).toEqual({ packets: [{ op: Op.message, body: 'a' }], bad: ['packLen 8 with 34 bytes left'] });
    expect(decode(Buffer.concat([message('a'), Buffer.from([0, 0, 0])])).bad).toEqual(['truncated header: 3 bytes']);
    expect(decode(Buffer.alloc(0))).toEqual({ packets: [], bad: [] });
  });

  it('refuses to inflate a body past the size bound (a decompression bomb)', () => {
    const zeros = Buffer.alloc(MAX_INFLATED_BYTES + 1);
    for (const data of [encodePacket(Op.message, deflateSync(zeros), Ver.zlib), encodePacket(Op.message, brotliCompressSync(zeros), Ver.brotli)]) {
      expect(data.length).toBeLessThan(20_000);
      const { packets, bad } = decode(Buffer.concat([data, message('after')]));
      expect(bad).toEqual([expect.stringMatching(/does not inflate: .*(larger|buffer)/i)]);
      expect(packets.map((p) => p.body)).toEqual(['after']);
    }
  });

  it('never throws on garbage, random or mutated from a real batch', () => {
    const next = random(20261123);
    const real = encodePacket(Op.message, brotliCompressSync(Buffer.concat(texts(20).map(message))), Ver.brotli);
    let reported = 0;
    for (let i = 0; i < 3_000; i++) {
      const data = i % 2 ? Buffer.from(real) : Buffer.alloc(1 + Math.floor(next() * 200));
      if (i % 2 === 0) for (let j = 0; j < data.length; j++) data[j] = next() * 256;
      else for (let j = 0; j < 4; j++) data[Math.floor(next() * data.length)] = next() * 256;
      if (i % 6 === 0 && data.length >= 4) data.writeUInt32BE(Math.min(data.length, 16 + Math.floor(next() * data.length)), 0); // a plausible length now and then
      const { bad } = decode(data);
      reported += bad.length;
    }
    expect(reported).toBeGreaterThan(1_500);
  });
});
