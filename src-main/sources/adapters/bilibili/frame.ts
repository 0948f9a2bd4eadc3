// Bilibili's goim framing: every packet is a 16-byte big-endian header (packLen u32, headerLen u16,
// ver u16, op u32, seq u32) and a body; one WebSocket message holds several packets back to back, and
// a ver 2 (zlib) or ver 3 (brotli) packet's body inflates to several more. Encoding, and a decoder
// that walks all of them without ever throwing: broken packets are reported and skipped.
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import { messageOf } from '../../../shared/values';

export const HEADER_BYTES = 16;
/** Inflated bodies larger than this are refused (a decompression bomb must not take the process down). */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;
const SAMPLE_BYTES = 48;

export const Op = { heartbeat: 2, heartbeatReply: 3, message: 5, auth: 7, authReply: 8 } as const;
export const Ver = { json: 0, int: 1, zlib: 2, brotli: 3 } as const;

/** One packet: header and body. */
export function encodePacket(op: number, body: Buffer | string, ver: number = Ver.json, seq = 1): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const packet = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  packet.writeUInt32BE(packet.length, 0);
  packet.writeUInt16BE(HEADER_BYTES, 4);
  packet.writeUInt16BE(ver, 6);
  packet.writeUInt32BE(op, 8);
  packet.writeUInt32BE(seq, 12);
  payload.copy(packet, HEADER_BYTES);
  return packet;
}

/** Where the decoder puts what it finds, in order. */
export interface PacketSink {
  /** A plain (or inflated) packet: its op, and its body at `data[start, end)` (read it during the call). */
  packet(op: number, data: Buffer, start: number, end: number): void;
  /** A packet that could not be read; `sample` is its start, in hex. */
  bad(message: string, sample: string): void;
}

/**
 * Decodes every packet in `data`, inflating compressed ones and walking what they hold. A packet
 * whose length can be trusted is skipped when broken; one whose length cannot ends the walk.
 */
export function decodePackets(data: Buffer, sink: PacketSink): void {
  walk(data, sink, false);
}

function walk(data: Buffer, sink: PacketSink, inflated: boolean): void {
  let at = 0;
  while (at < data.length) {
    const left = data.length - at;
    if (left < HEADER_BYTES) return sink.bad(`truncated header: ${left} bytes`, hex(data, at));
    const packLen = data.readUInt32BE(at);
    if (packLen < HEADER_BYTES || packLen > left) return sink.bad(`packLen ${packLen} with ${left} bytes left`, hex(data, at));
    const headerLen = data.readUInt16BE(at + 4);
    if (headerLen !== HEADER_BYTES) sink.bad(`headerLen ${headerLen}, expected ${HEADER_BYTES}`, hex(data, at));
    else packet(data, at, packLen, sink, inflated);
    at += packLen;
  }
}

function packet(data: Buffer, at: number, packLen: number, sink: PacketSink, inflated: boolean): void {
  const ver = data.readUInt16BE(at + 6);
  const op = data.readUInt32BE(at + 8);
  // The body is passed as a range: a Buffer view per packet would cost an allocation each.
  if (ver === Ver.json || ver === Ver.int) return sink.packet(op, data, at + HEADER_BYTES, at + packLen);
  if (ver !== Ver.zlib && ver !== Ver.brotli) return sink.bad(`unknown ver ${ver}`, hex(data, at));
  // Servers compress once; a compressed packet inside a compressed body would multiply the size bound.
  if (inflated) return sink.bad('compressed packet inside a compressed body', hex(data, at));
  let inner: Buffer;
  try {
    const body = data.subarray(at + HEADER_BYTES, at + packLen);
    inner = ver === Ver.zlib ? inflateSync(body, { maxOutputLength: MAX_INFLATED_BYTES }) : brotliDecompressSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (err) {
    return sink.bad(`ver ${ver} body does not inflate: ${messageOf(err)}`, hex(data, at));
  }
  walk(inner, sink, true);
}

function hex(data: Buffer, at: number): string {
  return data.subarray(at, at + SAMPLE_BYTES).toString('hex');
}
