import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import { ProfileCache } from '../../src-main/profiles/cache';
import { LiveTagger } from '../../src-main/profiles/live-tags';
import type { PersonFacts } from '../../src-main/profiles/person';
import type { CrmRecord } from '../../src-main/profiles/records';
import { builtinSegments } from '../../src-main/profiles/segments';
import type { Db } from '../../src-main/storage/db';
import { defaultRules, defaultTemplates } from '../../src-main/triggers/default-pack';
import { applyRecords } from '../helpers/demo-records';
import { ev } from '../helpers/events';
import { freshDb } from '../profiles/helpers';
import { at, cart, harness, personRule, T0 } from '../triggers/helpers';

const DAY = 86_400_000;

function customer(crmId: string, init: { tags?: string; paid?: [amountFen: number, daysAgo: number][] }): CrmRecord {
  return {
    fields: { crm_id: crmId, douyin_uid: `dy_${crmId}`, tags: init.tags },
    purchases: (init.paid ?? []).map(([amountFen, daysAgo], i) => ({ orderId: `${crmId}-${i}`, productId: `p${i + 1}`, amountFen, paidAt: T0 - daysAgo * DAY })),
  };
}

/** A store of CRM customers, a live cache over it, and a tagger giving the cache its live tags. */
function room(db: Db = freshDb().db) {
  applyRecords(db, [
    customer('churn', { tags: '已流失', paid: [[9_900, 10]] }),
    customer('churn2', { tags: '流失,宝妈', paid: [[9_900, 200]] }),
    customer('lapsed', { paid: [[9_900, 200]] }),
    customer('rich', { paid: [[60_000, 20], [60_000, 5]] }),
  ], T0);
  const cache = new ProfileCache(db);
  const tagger = new LiveTagger((c) => (c.kind === 'assign' ? cache.tag(c.personId, c.tag, c.at, c.expiresAt) : cache.untag(c.personId, c.tag, c.at)));
  const facts = (uid: string): PersonFacts => cache.identify(ev(T0, { kind: 'enter' }, `dy_${uid}`))!;
  const act = (uid: string, bodies: EventBody[]) => {
    const person = facts(uid);
    bodies.forEach((body, i) => tagger.observe(ev(T0 + i * 1_000, body, `dy_${uid}`), person.id));
    return person;
  };
  return { db, cache, facts, act };
}

const segmentsOf = (p: PersonFacts) => builtinSegments.filter((_, i) => p.segments & (1 << i)).map((s) => s.id);
const chats = (n: number): EventBody[] => Array.from({ length: n }, (_, i) => ({ kind: 'chat', text: `主播好 ${i}` }));

describe('潜客, 高参与-高价值, 已流失, 沉睡', () => {
  it('高参与 comes with the 10th comment, click, share or gift of a session, likes not counting', () => {
    const r = room();
    expect(r.act('new1', chats(9)).tags.has('高参与')).toBe(false);
    expect(r.act('new2', new Array<EventBody>(30).fill({ kind: 'like', count: 5 })).tags.has('高参与')).toBe(false);
    const mixed: EventBody[] = [
      ...chats(4),
      ...new Array<EventBody>(3).fill({ kind: 'product_click', productId: 'p1' }),
      { kind: 'share' },
      { kind: 'gift', giftId: 'rose', giftName: '玫瑰', count: 1, valueFen: 10 },
      { kind: 'like', count: 1 },
    ];
    expect(r.act('new3', mixed).tags.has('高参与')).toBe(false);
    expect(r.act('new3', chats(1)).tags.has('高参与')).toBe(true);
  });

  it('a viewer who never bought and engages is a 潜客; a high-value customer who engages is 高参与-高价值', () => {
    const r = room();
    const viewer = r.act('new', chats(10));
    expect(segmentsOf(viewer)).toEqual(['never_bought', 'prospects']);
    const rich = r.act('rich', chats(10));
    expect(segmentsOf(rich)).toEqual(['past_buyers', 'repeat_buyers', 'engaged_high_value']);
    expect(segmentsOf(r.facts('lapsed'))).toEqual(['past_buyers', 'lapsed']);
    expect(segmentsOf(r.facts('churn'))).toEqual(['past_buyers', 'churned']);
    expect(segmentsOf(r.facts('churn2'))).toEqual(['past_buyers', 'churned', 'lapsed']);
  });

  it('高参与 lasts a week: the next session reads it from the store', () => {
    const first = room();
    first.act('new', chats(10));
    first.cache.flush();
    const next = new ProfileCache(first.db);
    const again = next.identify(ev(T0 + 6 * DAY, { kind: 'enter' }, 'dy_new'))!;
    expect(segmentsOf(again)).toEqual(['never_bought', 'prospects']);
    const later = new ProfileCache(first.db).identify(ev(T0 + 8 * DAY, { kind: 'enter' }, 'dy_new'))!;
    expect(segmentsOf(later)).toEqual(['never_bought']);
  });
});

describe('已流失 is excluded from outreach', () => {
  it('no person coupon reaches a customer the CRM marks 已流失 or 流失', () => {
    const r = room();
    const persons = ['churn', 'churn2', 'lapsed', 'rich'].map((uid) => r.facts(uid));
    const h = harness({ db: r.db, segments: builtinSegments, rules: [personRule()] });
    for (const p of persons) h.send(at(0), cart('p1'), p.id, p);
    h.engine.advance(at(11));
    const outcome = (p: PersonFacts) => h.seen.filter((d) => d.personId === p.id).map((d) => [d.outcome, d.reason]);
    expect(persons.map(outcome)).toEqual([[['suppressed', 'churned']], [['suppressed', 'churned']], [['fired', undefined]], [['fired', undefined]]]);
  });

  it('the default pack’s comeback coupon goes to the lapsed, not to the ones the CRM gave up', () => {
    const r = room();
    const comeback = { ...defaultRules.find((rule) => rule.id === 'churned_return')!, holdoutShare: 0 };
    const h = harness({ db: r.db, segments: builtinSegments, rules: [comeback], templates: defaultTemplates });
    const [churn, churn2, lapsed] = ['churn', 'churn2', 'lapsed'].map((uid) => r.facts(uid));
    for (const p of [churn, churn2, lapsed]) h.send(at(0), { kind: 'enter' }, p.id, p);
    expect(h.seen.map((d) => [d.personId, d.outcome, d.reason])).toEqual([
      [churn2.id, 'suppressed', 'churned'],
      [lapsed.id, 'fired', undefined],
    ]);
  });
});
