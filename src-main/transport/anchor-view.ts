// What a read-only client (the anchor overlay: an OBS / 直播伴侣 browser source, a second screen) is
// sent: only what the anchor view shows — KPIs, talking points, cues, the point ops pushed and the
// room-wide coupon — and no viewer's personal data. The feed (nicknames, person ids, chat), ops'
// coupon queues (person ids), the sources' diagnostics (raw input samples) and the per-platform,
// per-product and per-segment cuts stay with the ops dashboard. The one nickname that reaches the
// anchor, a greeting cue's, is masked with maskName where the cue is made (talking/greetings.ts).
import type { Snapshot } from '../contract';

export function anchorSnapshot(s: Snapshot): Snapshot {
  const { announcement } = s.triggers;
  return {
    seq: s.seq,
    ts: s.ts,
    session: s.session,
    kpis: s.kpis,
    platforms: [],
    segments: [],
    triggers: { pending: [], toCopy: [], ...(announcement && { announcement }) },
    products: [],
    trend: [],
    markers: [],
    points: s.points,
    cues: s.cues,
    next: [],
    intent: [],
    ...(s.pushed && { pushed: s.pushed }),
    feed: [],
    health: s.health,
    sources: [],
  };
}
