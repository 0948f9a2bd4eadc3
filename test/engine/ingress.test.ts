import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import { Ingress } from '../../src-main/pipeline/ingress';
import { ev } from '../helpers/events';

const chat = (id: string, recvTs = Date.now()): LiveEvent => ({ ...ev(recvTs, { kind: 'chat', text: 'hi' }), id, recvTs });

describe('ingress', () => {
  it('passes each (platform, id) once, in order, at once while it keeps up', () => {
    const seen: string[] = [];
    const ingress = new Ingress((e) => seen.push(e.id));
    expect(['a', 'b', 'a', 'c'].map((id) => ingress.offer(chat(id)))).toEqual(['accepted', 'accepted', 'duplicates', 'accepted']);
    expect(ingress.offer({ ...chat('a'), platform: 'kuaishou' })).toBe('accepted');
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it('queues past its budget per turn, in order, and drains on later turns', async () => {
    const seen: string[] = [];
    const ingress = new Ingress((e) => seen.push(e.id), { slice: 2 });
    for (const id of ['1', '2', '3', '4', '5']) ingress.offer(chat(id));
    expect(seen).toEqual(['1', '2']);
    expect(ingress.length).toBe(3);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['1', '2', '3', '4']);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
  });

  it('is bounded: drops and counts beyond capacity, and a dropped event may come again', () => {
    const ingress = new Ingress(() => {}, { capacity: 3, slice: 1 });
    expect(['1', '2', '3', '4', '5'].map((id) => ingress.offer(chat(id)))).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'dropped']);
    expect(ingress.dropped).toBe(1);
    expect(ingress.congested).toBe(true);
    ingress.flush();
    expect(ingress.offer(chat('5'))).toBe('accepted');
  });

  it('shows its lag, and tells waiting sources when it has drained', async () => {
    const ingress = new Ingress(() => {}, { capacity: 4, slice: 1 });
    ingress.offer(chat('first'));
    ingress.offer(chat('old', Date.now() - 500));
    ingress.offer(chat('new'));
    expect(ingress.length).toBe(2);
    expect(ingress.lagMs()).toBeGreaterThanOrEqual(500);
    let drained = false;
    ingress.whenDrained(() => (drained = true));
    expect(drained).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(true);
    expect(ingress.lagMs()).toBe(0);
  });
});
