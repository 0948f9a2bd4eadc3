// WeChat Channels (视频号) through a polling relay: a wxlivespy-style tool polls the anchor console
// and POSTs each poll's JSON here (optionally gzipped), on a local port like the HTTP push receiver:
// same paths, token, size limit, and 503 with Retry-After while the pipeline is congested. The poll
// becomes events through channels.ts; the answer says what became of them.
import { sampleOf } from '../../decode';
import { HttpReceiver, type Answer, type HttpPushOptions } from '../../http-push-source';
import type { Intake, TakeResult } from '../../intake';
import { ChannelsMessages } from './channels';
import { messageOf } from '../../../shared/values';

/** port (0 picks a free one), host (default 127.0.0.1), token (then `Authorization: Bearer <token>` is required). */
export type ChannelsPushOptions = HttpPushOptions;

export class ChannelsPushSource extends HttpReceiver {
  private readonly messages = new ChannelsMessages();

  protected take(intake: Intake, body: Buffer): Answer {
    let poll: unknown;
    try {
      poll = JSON.parse(body.toString('utf8'));
    } catch (err) {
      const message = `not JSON: ${messageOf(err)}`;
      intake.error({ reason: 'bad_frame', kind: '?', message, sample: sampleOf(body, 'utf8') });
      return { status: 400, error: message };
    }
    const { events, errors } = this.messages.map(poll, Date.now());
    for (const error of errors) intake.error(error);
    const result: TakeResult = { ...intake.value(events) };
    result.rejected += errors.length;
    return { status: 200, result };
  }
}
