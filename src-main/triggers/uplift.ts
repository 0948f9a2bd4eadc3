// The uplift report of a rule: conversion of the treated arm against the holdout arm (intent to
// treat), their difference and its 95% confidence interval by Newcombe's hybrid score method
// (method 10 of Newcombe 1998: Wilson score intervals of each proportion, combined), which keeps its
// coverage for small samples and rates near 0 or 1, where the Wald interval does not. Pure.
import type { ArmCounts } from './decision-log';

const Z95 = 1.959963984540054;

export interface ArmReport extends ArmCounts {
  /** converted / exposed; null with no one exposed. */
  rate: number | null;
}

export interface UpliftReport {
  ruleId: string;
  /** person: distinct persons decided for; room: persons seen in each decision's window, summed over decisions. */
  unit: 'person' | 'room_viewer';
  treated: ArmReport;
  holdout: ArmReport;
  /** Treated rate minus holdout rate; null when an arm is empty. */
  difference: number | null;
  /** 95% interval of the difference; null when an arm is empty. */
  ci95: [number, number] | null;
  method: 'newcombe_hybrid_score';
}

/** Wilson score interval of x successes in n trials. */
export function wilson(x: number, n: number, z = Z95): [number, number] {
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's hybrid score interval of p1 − p2 (x1 of n1 against x2 of n2). */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): [number, number] {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilson(x1, n1, z);
  const [l2, u2] = wilson(x2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

export function upliftReport(ruleId: string, scope: 'person' | 'room', treated: ArmCounts, holdout: ArmCounts): UpliftReport {
  const arm = (c: ArmCounts): ArmReport => ({ ...c, rate: c.exposed > 0 ? c.converted / c.exposed : null });
  const t = arm(treated);
  const h = arm(holdout);
  const both = t.rate !== null && h.rate !== null;
  return {
    ruleId,
    unit: scope === 'person' ? 'person' : 'room_viewer',
    treated: t,
    holdout: h,
    difference: both ? t.rate! - h.rate! : null,
    ci95: both ? newcombe(t.converted, t.exposed, h.converted, h.exposed) : null,
    method: 'newcombe_hybrid_score',
  };
}
