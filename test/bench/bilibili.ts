// bilibili_decode: the Bilibili adapter's inbound path on brotli (ver 3) batches of 20 realistic
// DANMU_MSG each (~760 bytes: extra JSON, medal, levels), in process and without sockets: goim
// framing, brotli, JSON, mapping to LiveEvents and the shared check and de-dup (an Intake over an
// Ingress with a no-op pipeline), counting the events out. Against the floor on the same bytes:
// brotli, split by packLen and JSON.parse each body, nothing else. Fixed content, no randomness.
import { brotliDecompressSync } from 'node:zlib';
import { Ingress } from '../../src-main/pipeline/ingress';
import { HEADER_BYTES } from '../../src-main/sources/adapters/bilibili/frame';
import { BilibiliMessages } from '../../src-main/sources/adapters/bilibili/messages';
import { BilibiliStream } from '../../src-main/sources/adapters/bilibili/stream';
import { Intake } from '../../src-main/sources/intake';
import { batch, danmu, ROOM } from '../sources/adapters/bilibili/room-messages';
import type { Benchmark } from './run';

const BATCHES = 5_000;
const PER_BATCH = 20;
const EVENTS = BATCHES * PER_BATCH;
/** Batches per alternation between the floor and the full path. */
const SLICE = 250;
const TEXTS = ['主播好', '3号链接有S码吗', '这个颜色显白吗？', '已拍，什么时候发货', '哈哈哈哈哈哈', '求讲解一下面料', '多少钱', '福袋什么时候开', '主播身高多少', '+1'];

let wire: Buffer[] | undefined;

/** The bench batches: one WebSocket message each, a ver 3 packet holding 20 DANMU_MSG packets. */
function benchWire(): Buffer[] {
  wire ??= Array.from({ length: BATCHES }, (_, b) =>
    batch(
      Array.from({ length: PER_BATCH }, (_, i) => {
        const n = b * PER_BATCH + i;
        const text = TEXTS[n % TEXTS.length];
        return danmu(n, { uid: 100_000 + ((n * 7919) % 50_000), text, medal: n % 3 ? [1 + (n % 25), '宝藏粉'] : [], level: n % 60 });
      }),
      3,
    ),
  );
  return wire;
}

/** The floor: brotli, split by packLen, JSON.parse each body; returns how many bodies it parsed. */
function floor(batches: Buffer[]): number {
  let count = 0;
  for (const data of batches) {
    const inner = brotliDecompressSync(data.subarray(HEADER_BYTES));
    for (let at = 0; at < inner.length; at += inner.readUInt32BE(at)) {
      JSON.parse(inner.toString('utf8', at + HEADER_BYTES, at + inner.readUInt32BE(at)));
      count++;
    }
  }
  return count;
}

/** The adapter's path into a real Intake and Ingress whose pipeline only counts what comes out. */
function fullPath(): { feed(batches: Buffer[]): void; readonly count: number } {
  let count = 0;
  const ingress = new Ingress(() => count++, { capacity: EVENTS, slice: EVENTS });
  const intake = new Intake({ id: 'bench', platform: 'bilibili', roomId: String(ROOM) }, ingress);
  const stream = new BilibiliStream(intake, new BilibiliMessages(String(ROOM)), { authReply() {}, popularity() {} });
  return {
    feed: (batches) => {
      for (const data of batches) stream.frame(data);
    },
    get count() {
      return count;
    },
  };
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

export const bilibiliDecode: Benchmark = {
  name: 'bilibili_decode',
  runs: 5,
  async run() {
    const batches = benchWire();
    const full = fullPath();
    let floorCount = 0;
    let floorMs = 0;
    let fullMs = 0;
    // The two alternate slice by slice, so a change in machine load weighs on both alike.
    for (let i = 0; i < BATCHES; i += SLICE) {
      const slice = batches.slice(i, i + SLICE);
      floorMs += timed(() => (floorCount += floor(slice)));
      fullMs += timed(() => full.feed(slice));
    }
    if (floorCount !== EVENTS || full.count !== EVENTS) throw new Error(`events out: floor ${floorCount}, full ${full.count}, of ${EVENTS}`);
    return {
      bilibili_decode_events_per_s: (EVENTS * 1000) / fullMs,
      bilibili_decode_floor_events_per_s: (EVENTS * 1000) / floorMs,
      bilibili_decode_floor_ratio: floorMs / fullMs,
    };
  },
};
