// `npm run bench`: runs every benchmark (or `-- --only <name>`), each a warm-up then several runs,
// and prints each figure's median; the last line of stdout is one JSON object with every figure plus
// the node version, CPU model and date. Bench data comes from the simulator with fixed seeds.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sourceIngest } from './ingest';
import { textAnalysis } from './text';
import { bilibiliDecode } from './bilibili';
import { dashboardFps } from './dashboard';
import { enrichThroughput } from './enrich';
import { intentScoring } from './intent';
import { latency } from './latency';
import { memory } from './memory';
import { metricsThroughput } from './metrics';
import { pipelineThroughput } from './pipeline';
import { profileImport } from './profile-import';
import { recommendBench } from './recommend';
import { recording } from './recording';
import { rendererMemory } from './renderer-memory';
import { review } from './review';
import { rulesThroughput } from './rules';
import { webcastDecode } from './webcast';

export interface Benchmark {
  name: string;
  /** Measured runs after one warm-up. */
  runs: number;
  run(): Promise<Record<string, number>>;
}

const benchmarks: Benchmark[] = [sourceIngest, bilibiliDecode, webcastDecode, metricsThroughput, textAnalysis, enrichThroughput, dashboardFps, profileImport, rulesThroughput, recommendBench, intentScoring, recording, review, pipelineThroughput, latency, memory, rendererMemory];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
  const selected = values.only ? benchmarks.filter((b) => values.only!.includes(b.name)) : benchmarks;
  if (selected.length === 0) throw new Error(`no benchmark named ${values.only?.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  const figures: Record<string, number> = {};
  for (const bench of selected) {
    if (bench.runs > 1) await bench.run(); // warm-up
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < bench.runs; i++) runs.push(await bench.run());
    for (const key of Object.keys(runs[0])) figures[key] = round(median(runs.map((r) => r[key])));
    console.log(`${bench.name}: ${Object.keys(runs[0]).map((k) => `${k}=${figures[k]}`).join(' ')}`);
  }
  console.log(JSON.stringify({ ...figures, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
