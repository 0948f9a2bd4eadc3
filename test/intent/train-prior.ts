// Regenerates the shipped intent prior, src-main/intent/prior.ts: a model trained on demo-room
// sessions (seeds 1–10, 90 minutes at 20 events/s each) and measured on three others (101–103).
// Run after changing the features or the demo room: `npx tsx test/intent/train-prior.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProfileCache } from '../../src-main/profiles/cache';
import { demoStore, SIM_START, trainOnDemo, type SimSessions } from '../helpers/intent-sim';

const PRIOR_TRAIN: SimSessions = { seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], minutes: 90, rate: 20 };
const PRIOR_HELD_OUT: SimSessions = { seeds: [101, 102, 103], minutes: 90, rate: 20 };
const target = fileURLToPath(new URL('../../src-main/intent/prior.ts', import.meta.url));

/** The model as an object literal, one field a line, numbers to six significant digits. */
function literal(model: object): string {
  const round = (_: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v);
  const typed = (value: unknown) =>
    JSON.stringify(value, round)
      .replace(/"(\w+)":/g, '$1: ')
      .replace(/"/g, "'")
      .replace(/,(?=\S)/g, ', ')
      .replace(/\{/g, '{ ')
      .replace(/\}/g, ' }');
  return `{\n${Object.entries(model).map(([key, value]) => `  ${key}: ${typed(value)},\n`).join('')}}`;
}

async function main(): Promise<void> {
  const model = await trainOnDemo(new ProfileCache(demoStore()), PRIOR_TRAIN, PRIOR_HELD_OUT, SIM_START);
  const source = `// The shipped purchase-intent prior, so that scores work on day one: a model trained on demo-room
// sessions whose ground truth is known (held-out AUC ${model.heldOut.auc.toFixed(3)}). Generated, do not edit:
// regenerate with \`npx tsx test/intent/train-prior.ts\` after changing the features or the demo room.
import type { IntentModel } from './model';

export const intentPrior: IntentModel = ${literal(model)};
`;
  writeFileSync(target, source);
  console.log(`wrote ${target}: held-out AUC ${model.heldOut.auc.toFixed(3)}, ${model.trainedOn.rows} rows, ${model.trainedOn.positives} positive`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
