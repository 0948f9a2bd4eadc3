// Shared helpers for the recommendation tests: present persons with purchases and tags, and audiences
// assembled from groups of them.
import type { PersonFacts } from '../../src-main/profiles/person';

export interface ViewerInit {
  tags?: string[];
  bought?: string[];
  /** Default: one per product bought. */
  orders?: number;
  ltvFen?: number;
  level?: number;
  provisional?: boolean;
}

let nextId = 1;

export function viewer(init: ViewerInit = {}): PersonFacts {
  const bought = init.bought ?? [];
  return {
    id: nextId++,
    provisional: init.provisional ?? false,
    level: init.level,
    platforms: ['douyin'],
    tags: new Set(init.tags ?? []),
    traits: { orders: init.orders ?? bought.length, ltvFen: init.ltvFen ?? 0, couponShare: 0 },
    bought: new Set(bought),
    suppressed: false,
    segments: 0,
  };
}

/** `count` viewers alike. */
export function crowd(count: number, init: ViewerInit = {}): PersonFacts[] {
  return Array.from({ length: count }, () => viewer(init));
}
