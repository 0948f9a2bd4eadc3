// Fitting and judging the intent model: L2-regularised logistic regression on standardised features
// by Newton's method (iteratively reweighted least squares: a few passes over the rows, each solving
// a small system by Cholesky), deterministic for the same rows; and the held-out measures, AUC and
// log loss against a base-rate predictor. Rows are one flat Float64Array, `FEATURE_COUNT` per row.
import { FEATURE_COUNT } from './features';
import type { Evaluation } from './model';

export interface Rows {
  /** Features, row after row. */
  x: Float64Array;
  /** 1 when the viewer paid later in the session. */
  y: Uint8Array;
  count: number;
}

export interface Fitted {
  weights: number[];
  intercept: number;
  means: number[];
  scales: number[];
}

export interface FitOptions {
  /** L2 penalty on the standardised weights (not the intercept). */
  l2?: number;
  maxIterations?: number;
  /** Called after each Newton step with the fraction of the iterations done; awaited (a progress bar can repaint). */
  onStep?: (fraction: number) => void | Promise<void>;
}

const D = FEATURE_COUNT + 1; // the intercept is the last column
const TOLERANCE = 1e-7;
/** Log loss of one row is clipped at these chances, so that a sure and wrong 0 or 1 is not infinite. */
const EPSILON = 1e-12;

export async function fitLogistic(rows: Rows, { l2 = 1, maxIterations = 25, onStep }: FitOptions = {}): Promise<Fitted> {
  const { means, scales } = standardisation(rows);
  const n = rows.count;
  const z = new Float64Array(D);
  const beta = new Float64Array(D);
  const gradient = new Float64Array(D);
  const hessian = new Float64Array(D * D);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * FEATURE_COUNT;
      let eta = beta[FEATURE_COUNT];
      for (let i = 0; i < FEATURE_COUNT; i++) {
        z[i] = (rows.x[o + i] - means[i]) / scales[i];
        eta += beta[i] * z[i];
      }
      z[FEATURE_COUNT] = 1;
      const p = 1 / (1 + Math.exp(-eta));
      const residual = p - rows.y[r];
      const weight = p * (1 - p);
      for (let i = 0; i < D; i++) {
        gradient[i] += residual * z[i];
        const wz = weight * z[i];
        for (let j = i; j < D; j++) hessian[i * D + j] += wz * z[j];
      }
    }
    for (let i = 0; i < FEATURE_COUNT; i++) {
      gradient[i] += l2 * beta[i];
      hessian[i * D + i] += l2;
    }
    const step = solveSymmetric(hessian, gradient);
    let largest = 0;
    for (let i = 0; i < D; i++) {
      beta[i] -= step[i];
      largest = Math.max(largest, Math.abs(step[i]));
    }
    const done = largest < TOLERANCE;
    await onStep?.(done ? 1 : (iteration + 1) / maxIterations);
    if (done) break;
  }
  return { weights: Array.from(beta.subarray(0, FEATURE_COUNT)), intercept: beta[FEATURE_COUNT], means, scales };
}

/** Each feature's mean and standard deviation (1 for a constant feature). */
function standardisation(rows: Rows): { means: number[]; scales: number[] } {
  const sums = new Float64Array(FEATURE_COUNT);
  const squares = new Float64Array(FEATURE_COUNT);
  for (let r = 0; r < rows.count; r++) {
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const v = rows.x[r * FEATURE_COUNT + i];
      sums[i] += v;
      squares[i] += v * v;
    }
  }
  const n = Math.max(1, rows.count);
  const means = Array.from(sums, (s) => s / n);
  const scales = Array.from(squares, (sq, i) => {
    const sd = Math.sqrt(Math.max(0, sq / n - means[i] ** 2));
    return sd > 1e-9 ? sd : 1;
  });
  return { means, scales };
}

/** Solves H s = g for s, H symmetric positive definite with its upper triangle filled (Cholesky). */
function solveSymmetric(h: Float64Array, g: Float64Array): Float64Array {
  const l = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[j * D + i];
      for (let k = 0; k < j; k++) sum -= l[i * D + k] * l[j * D + k];
      l[i * D + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * D + j];
    }
  }
  const y = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let sum = g[i];
    for (let k = 0; k < i; k++) sum -= l[i * D + k] * y[k];
    y[i] = sum / l[i * D + i];
  }
  const s = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < D; k++) sum -= l[k * D + i] * s[k];
    s[i] = sum / l[i * D + i];
  }
  return s;
}

/** Area under the ROC curve of `scores` against `labels` (ties count half); 0.5 without both classes. */
export function auc(scores: Float64Array, labels: Uint8Array): number {
  const order = Uint32Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]]) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean log loss of predicting `scores` for `labels`. */
export function logLoss(scores: ArrayLike<number>, labels: Uint8Array): number {
  let loss = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, scores[i]));
    loss -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length > 0 ? loss / labels.length : 0;
}

/** How `score` does on `rows`, against predicting `baseRate` (the training share of payers) for everyone. */
export function evaluate(rows: Rows, score: (x: Float64Array, offset: number) => number, baseRate: number): Evaluation {
  const scores = new Float64Array(rows.count);
  for (let r = 0; r < rows.count; r++) scores[r] = score(rows.x, r * FEATURE_COUNT);
  const labels = rows.y.subarray(0, rows.count);
  let positives = 0;
  for (const label of labels) positives += label;
  return {
    rows: rows.count,
    positives,
    auc: auc(scores, labels),
    logLoss: logLoss(scores, labels),
    baseLogLoss: logLoss(new Float64Array(rows.count).fill(baseRate), labels),
  };
}
