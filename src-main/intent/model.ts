// The purchase-intent model: a logistic regression over standardised features (features.ts), kept as
// plain JSON (weights, means, scales, what it was trained on and how well it did on held-out viewers)
// and compiled into a scorer: `score` is the chance (0–1) that the viewer pays later in the session,
// `explain` the three reasons that moved it most. A reason's effect is measured against a viewer with
// the population's mean features, so a reason is what actually moved this viewer's score; a score
// above that viewer's is explained by what raised it, a score below by what lowered it.
import { isRecord } from '../shared/values';
import { FEATURE_COUNT, featureKeys, features, type ReasonGroup } from './features';
import { reasonText } from './reasons';

export const INTENT_MODEL_VERSION = 1;

export interface IntentModel {
  version: typeof INTENT_MODEL_VERSION;
  /** Feature keys in order: a model for other features is refused. */
  features: string[];
  /** Per standardised feature ((x − mean) / scale), in log-odds. */
  weights: number[];
  intercept: number;
  means: number[];
  scales: number[];
  trainedAt: number;
  trainedOn: { sessions: number; rows: number; positives: number };
  /** How the model did on viewers it was not trained on. */
  heldOut: Evaluation;
}

export interface Evaluation {
  rows: number;
  positives: number;
  /** Area under the ROC curve: 0.5 is guessing, 1 ranks every payer first. */
  auc: number;
  /** Mean log loss of the model, and of predicting the training base rate for everyone. */
  logLoss: number;
  baseLogLoss: number;
}

export interface Reason {
  group: ReasonGroup;
  text: string;
  /** Log-odds this reason adds to the score against a viewer of mean features (negative: it lowers it). */
  effect: number;
}

/** Reasons that move the log-odds less than this are not worth saying. */
const MIN_EFFECT = 0.05;
const groups: readonly ReasonGroup[] = [...new Set(features.map((f) => f.group))];
const groupOf = Int32Array.from(features, (f) => groups.indexOf(f.group));

/** The model in `value` when it is one for these features, else undefined. */
export function parseModel(value: unknown): IntentModel | undefined {
  if (!isRecord(value) || value.version !== INTENT_MODEL_VERSION) return undefined;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.length === FEATURE_COUNT && v.every(Number.isFinite);
  const sameFeatures = Array.isArray(value.features) && value.features.length === FEATURE_COUNT && value.features.every((k, i) => k === featureKeys[i]);
  const scalesOk = numbers(value.scales) && value.scales.every((s) => s > 0);
  if (!sameFeatures || !numbers(value.weights) || !numbers(value.means) || !scalesOk || !Number.isFinite(value.intercept)) return undefined;
  if (!isRecord(value.trainedOn) || !isRecord(value.heldOut)) return undefined;
  return value as unknown as IntentModel;
}

export class IntentScorer {
  /** Weights per raw feature (weight / scale), and the log-odds of a viewer with all-zero features. */
  private readonly slopes: Float64Array;
  private readonly bias: number;
  private readonly means: Float64Array;
  private readonly effects = new Float64Array(groups.length);

  constructor(model: Pick<IntentModel, 'weights' | 'intercept' | 'means' | 'scales'>) {
    this.slopes = Float64Array.from(model.weights, (w, i) => w / model.scales[i]);
    this.means = Float64Array.from(model.means);
    this.bias = model.intercept - model.weights.reduce((sum, w, i) => sum + (w * model.means[i]) / model.scales[i], 0);
  }

  /** The log-odds of the features `x` (from `offset`). */
  logit(x: ArrayLike<number>, offset = 0): number {
    const slopes = this.slopes;
    let z = this.bias;
    for (let i = 0; i < slopes.length; i++) z += slopes[i] * x[offset + i];
    return z;
  }

  /** The chance, 0–1, that a viewer with features `x` pays later in the session. */
  score(x: ArrayLike<number>, offset = 0): number {
    return 1 / (1 + Math.exp(-this.logit(x, offset)));
  }

  /** The (up to) three reasons that moved the score of `x` most in its direction (up or down from the mean viewer's), strongest first. */
  explain(x: ArrayLike<number>, limit = 3): Reason[] {
    const effects = this.effects.fill(0);
    let total = 0;
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const effect = this.slopes[i] * (x[i] - this.means[i]);
      effects[groupOf[i]] += effect;
      total += effect;
    }
    const direction = Math.sign(total);
    return groups
      .map((group, g) => ({ group, effect: effects[g] }))
      .filter((r) => r.effect * direction >= MIN_EFFECT)
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.group.localeCompare(b.group))
      .slice(0, limit)
      .map((r) => ({ ...r, text: reasonText(r.group, x) }));
  }
}
