// Builders for LiveEvents in scripted scenarios.
import type { EventBody, LiveEvent, Platform } from '../../src-main/events/live-event';

let n = 0;

export function ev(ts: number, body: EventBody, user?: string, platform: Platform = 'douyin'): LiveEvent {
  return {
    id: `t${++n}`,
    platform,
    roomId: 'r1',
    ts,
    recvTs: ts,
    ...(user && { user: { id: user, name: `用户${user}` } }),
    ...body,
  } as LiveEvent;
}
