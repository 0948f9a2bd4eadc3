// Where the intent model in force lives: the last model trained here, kept as a settings value, or
// the shipped prior (prior.ts) until one is trained or when the saved one is for other features.
import { readValue, writeValue } from '../storage/settings-store';
import type { Db } from '../storage/db';
import { parseModel, type IntentModel } from './model';
import { intentPrior } from './prior';

export const INTENT_MODEL_KEY = 'intent.model';

export function loadIntentModel(db: Db): IntentModel {
  return parseModel(readValue(db, INTENT_MODEL_KEY)) ?? intentPrior;
}

export function saveIntentModel(db: Db, model: IntentModel): void {
  writeValue(db, INTENT_MODEL_KEY, model);
}
