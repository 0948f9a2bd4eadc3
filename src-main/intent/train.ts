// Training the intent model on demand (the Review page's 重新训练): every recorded session is replayed
// from the event log, its viewers seen as they were then (history.ts) and snapshotted into labelled
// rows (dataset.ts); a fifth of the viewers, chosen by person id, are held out to measure the model.
// Asynchronous: it yields to the event loop between chunks of events and between Newton steps, and
// reports the fraction done, so a progress bar moves while it runs. The model is saved when done.
import type { Db } from '../storage/db';
import { readEvents } from '../storage/event-log';
import { Dataset } from './dataset';
import { featureKeys } from './features';
import { evaluate, fitLogistic, type Rows } from './fit';
import { PersonHistory } from './history';
import { INTENT_MODEL_VERSION, IntentScorer, type IntentModel } from './model';
import { saveIntentModel } from './store';

export interface TrainOptions {
  /** The sessions to learn from; default every session that is over. */
  sessionIds?: string[];
  /** Fraction done, 0 to 1; the last call is 1. */
  onProgress?: (fraction: number) => void;
  now?: () => number;
}

/** Payers needed among the training rows, and in the held-out ones, to train at all. */
const MIN_POSITIVES = 20;
const HELD_OUT_FOLDS = 5;
const EVENTS_PER_CHUNK = 20_000;
/** Share of the progress bar for replaying the sessions; fitting takes the rest. */
const REPLAY_SHARE = 0.8;

/** Held out: the viewers whose id hashes to the first of five folds. */
function isHeldOut(personId: number): boolean {
  return (Math.imul(personId | 0, 0x9e3779b1) >>> 0) % HELD_OUT_FOLDS === 0;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Trains on the recorded sessions, saves the model (it is in force from then on) and returns it. */
export async function trainIntent(db: Db, { sessionIds, onProgress, now = Date.now }: TrainOptions = {}): Promise<IntentModel> {
  const sessions = db
    .prepare<[], { id: string; events: number }>("SELECT id, events FROM sessions WHERE status != 'live' ORDER BY started_at")
    .all()
    .filter((s) => !sessionIds || sessionIds.includes(s.id));
  const total = Math.max(1, sessions.reduce((sum, s) => sum + s.events, 0));
  const dataset = new Dataset();
  let done = 0;
  for (const session of sessions) {
    const history = new PersonHistory(db);
    dataset.startSession();
    for (const e of readEvents(db, session.id)) {
      dataset.add(e, history.identify(e));
      if (++done % EVENTS_PER_CHUNK === 0) {
        onProgress?.((REPLAY_SHARE * done) / total);
        await yieldToLoop();
      }
    }
    dataset.endSession();
  }
  const model = await fitModel(dataset.take((id) => !isHeldOut(id)), dataset.take(isHeldOut), dataset.sessions, {
    now: now(),
    onStep: async (fraction) => {
      onProgress?.(REPLAY_SHARE + (1 - REPLAY_SHARE) * fraction * 0.99);
      await yieldToLoop();
    },
  });
  saveIntentModel(db, model);
  onProgress?.(1);
  return model;
}

/** Fits a model on `train` and measures it on `heldOut`; throws when either has too few payers to learn from. */
export async function fitModel(
  train: Rows,
  heldOut: Rows,
  sessions: number,
  { now, onStep }: { now: number; onStep?: (fraction: number) => void | Promise<void> },
): Promise<IntentModel> {
  const positives = countPositives(train);
  const heldOutPositives = countPositives(heldOut);
  if (positives < MIN_POSITIVES || heldOutPositives < 1) {
    throw new Error(`not enough to learn from: ${positives} payer snapshots in training and ${heldOutPositives} held out (need ${MIN_POSITIVES} and 1); record more sessions with orders`);
  }
  const fitted = await fitLogistic(train, { onStep });
  const scorer = new IntentScorer(fitted);
  return {
    version: INTENT_MODEL_VERSION,
    features: [...featureKeys],
    ...fitted,
    trainedAt: now,
    trainedOn: { sessions, rows: train.count, positives },
    heldOut: evaluate(heldOut, (x, offset) => scorer.score(x, offset), positives / train.count),
  };
}

function countPositives(rows: Rows): number {
  let positives = 0;
  for (let r = 0; r < rows.count; r++) positives += rows.y[r];
  return positives;
}
