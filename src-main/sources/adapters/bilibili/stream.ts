// The inbound side of one Bilibili connection: WebSocket messages → goim packets → JSON → LiveEvents
// on the intake (checked and counted there), one batch per WebSocket message. Control packets, the
// auth reply and the heartbeat reply, go to the connection that owns the stream.
import { sampleOf } from '../../decode';
import type { Intake } from '../../intake';
import { decodePackets, Op, type PacketSink } from './frame';
import type { BilibiliMessages, Draft } from './messages';
import { isRecord, messageOf, parseJson } from '../../../shared/values';

export interface Control {
  /** The op 8 reply's `code`: 0 accepted, -101 token refused; undefined when unreadable. */
  authReply(code: unknown): void;
  /** The heartbeat reply's popularity (人气), a u32. */
  popularity(value: number): void;
}

export class BilibiliStream implements PacketSink {
  private events: Draft[] = [];
  private now = 0;

  constructor(
    private readonly intake: Intake,
    private readonly messages: BilibiliMessages,
    private readonly control: Control,
  ) {}

  /** One WebSocket message: every packet in it, then its events to the intake in one batch. */
  frame(data: Buffer): void {
    this.now = Date.now();
    decodePackets(data, this);
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    this.intake.value(events);
  }

  packet(op: number, data: Buffer, start: number, end: number): void {
    if (op === Op.message) this.message(data.toString('utf8', start, end));
    else if (op === Op.heartbeatReply) this.heartbeatReply(data, start, end);
    else if (op === Op.authReply) {
      const reply = parseJson(data.toString('utf8', start, end));
      this.control.authReply(isRecord(reply) ? reply.code : undefined);
    }
  }

  bad(message: string, sample: string): void {
    this.intake.error({ reason: 'bad_frame', kind: '?', message, sample });
  }

  private message(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const message = messageOf(err);
      return this.intake.error({ reason: 'bad_json', kind: '?', message, sample: sampleOf(text) });
    }
    if (!this.messages.map(value, this.now, this.events)) this.bad('message without a cmd', sampleOf(text));
  }

  private heartbeatReply(data: Buffer, start: number, end: number): void {
    if (end - start < 4) return this.bad(`heartbeat reply of ${end - start} bytes`, data.toString('hex', start, end));
    this.control.popularity(data.readUInt32BE(start));
  }
}
