// What the anchor overlay is sent, from a real engine playing the demo room: the anchor's share of each
// snapshot, with no viewer's nickname unmasked, no person id, no feed, no coupon queue, no raw input
// sample; over the WebSocket, a read-only client (the view token, or a page asking for `view=anchor`)
// gets only that share while ops get everything.
import { describe, expect, it } from 'vitest';
import type { Snapshot, WirePush } from '../../src-main/contract';
import { anchorSnapshot } from '../../src-main/transport/anchor-view';
import { startTestServer } from '../helpers/web-server';
import { WsClient } from '../helpers/ws-client';

const snapshotsOf = (pushes: WirePush[]): Snapshot[] => pushes.filter((p) => p.stream === 'snapshot').map((p) => p.payload as Snapshot);

/** Nicknames long enough that finding one elsewhere in a snapshot is no coincidence. */
const nicknames = (snapshots: Snapshot[]): Set<string> =>
  new Set(snapshots.flatMap((s) => s.feed.map((item) => item.user)).filter((name) => [...name].length >= 3));

/** Where a personal detail of a viewer shows in a snapshot the anchor would get; empty when none does. */
function personalLeaks(s: Snapshot, names: Set<string>): string[] {
  const json = JSON.stringify(s);
  return [
    ...[...names].filter((name) => json.includes(name)).map((name) => `nickname ${name}`),
    ...(json.includes('"personId"') ? ['a person id'] : []),
    ...(s.feed.length > 0 ? ['the feed'] : []),
    ...(s.triggers.pending.length + s.triggers.toCopy.length > 0 ? ['coupon queues'] : []),
    ...(s.sources.length > 0 ? ['source diagnostics'] : []),
  ];
}

describe("the anchor's share of a snapshot", () => {
  it('keeps what the anchor view shows and no viewer data: the one nickname, a greeting, is masked', async () => {
    const { engine } = await startTestServer({ demoRate: 1000 });
    const full: Snapshot[] = [];
    const greeted = new Promise<Snapshot>((resolve) =>
      engine.onPush((push) => {
        if (push.stream !== 'snapshot') return;
        const s = push.payload as Snapshot;
        full.push(s);
        if (s.cues.some((c) => c.kind === 'greet') && nicknames(full).size >= 20) resolve(s);
      }),
    );
    const snapshot = await greeted;
    const names = nicknames(full);
    // The full snapshot (ops) does carry them: the check below can fail.
    const opsLeaks = personalLeaks({ ...snapshot, feed: full.flatMap((s) => s.feed) }, names);
    expect(opsLeaks).toEqual(expect.arrayContaining(['the feed', 'a person id']));
    expect(opsLeaks.filter((leak) => leak.startsWith('nickname')).length).toBe(names.size);

    const anchor = anchorSnapshot(snapshot);
    expect(personalLeaks(anchor, names)).toEqual([]);
    expect(anchor).toMatchObject({ seq: snapshot.seq, session: snapshot.session, kpis: snapshot.kpis, points: snapshot.points, cues: snapshot.cues, health: snapshot.health });
    const greeting = anchor.cues.find((c) => c.kind === 'greet')!;
    const masked = /^欢迎 (.+)$/.exec(greeting.title)![1];
    // maskName's shape (talking/greetings.ts): first and last character, the middle starred.
    expect(masked).toMatch(/^(.\*{1,2}.|.\*|\*\*)$/u);
    expect(names.has(masked)).toBe(false);
  }, 20_000);

  it('keeps what ops pushed and the room-wide coupon, which the anchor view shows', () => {
    const s = { seq: 1, ts: 1, session: { id: 's', title: 't', startedAt: 0, sources: [] }, pushed: { text: '3号链接 马上开抢', ts: 1 }, triggers: { pending: [], toCopy: [], announcement: { text: '福袋马上开', ts: 1 } } };
    const anchor = anchorSnapshot({ ...s, kpis: {}, platforms: [], segments: [], products: [], trend: [], markers: [], points: [], cues: [], feed: [], health: {}, sources: [] } as unknown as Snapshot);
    expect(anchor.pushed).toEqual(s.pushed);
    expect(anchor.triggers.announcement).toEqual(s.triggers.announcement);
  });
});

describe('read-only clients over the WebSocket', () => {
  it('the view token is sent only the anchor share, pushed and asked for, while ops get the feed', async () => {
    const { ws, server } = await startTestServer({ token: 's3cret', demoRate: 500 });
    const ops = await WsClient.open(`${ws}?token=s3cret`);
    const overlay = await WsClient.open(`${ws}?token=${new URL(server.anchorUrl).searchParams.get('token')}`);
    await overlay.waitFor(() => snapshotsOf(ops.pushes).filter((s) => s.feed.length > 0).length >= 5 && snapshotsOf(overlay.pushes).length >= 5);
    const names = nicknames(snapshotsOf(ops.pushes));
    expect(names.size).toBeGreaterThan(0);
    for (const s of snapshotsOf(overlay.pushes)) expect(personalLeaks(s, names)).toEqual([]);
    const asked = await overlay.call(1, 'getSnapshot', {});
    expect(asked.ok && personalLeaks(asked.result as Snapshot, names)).toEqual([]);
    const opsAsked = await ops.call(1, 'getSnapshot', {});
    expect(opsAsked.ok && (opsAsked.result as Snapshot).feed.length).toBeGreaterThan(0);
    ops.close();
    overlay.close();
  }, 15_000);

  it('on loopback without a token, the anchor page asks for the same share and can then only read', async () => {
    const { ws } = await startTestServer({ demoRate: 500 });
    const anchor = await WsClient.open(`${ws}?view=anchor`);
    await anchor.waitFor(() => snapshotsOf(anchor.pushes).length >= 5);
    expect(snapshotsOf(anchor.pushes).every((s) => s.feed.length === 0 && s.sources.length === 0)).toBe(true);
    expect(await anchor.call(1, 'pushPoint', { text: 'hi' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await anchor.call(2, 'getSettings', {})).toMatchObject({ ok: true });
    anchor.close();
  });
});
