// `npm run fuzz -- --seconds N`: cycles through every fuzz target for N seconds (default 60) with a
// random seed (printed; `--seed S` fixes it, `--target NAME` picks targets), then prints, per target,
// the cases tried and the failures, each with what reproduces it, and a summary line; exits 1 on any
// failure. `--target NAME --seed S --path P` replays one failing case (`--runs R` instead of
// `--path`: a whole chunk, e.g. one that hung).
//
// The fuzzing runs in a child process watched by this one: a case that hangs (no progress for
// HANG_MS) or a crash that takes the process down (an exception thrown from a socket handler) is
// reported as that target's failure, with the chunk's seed, and fuzzing goes on with the others.
import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { progress, propertyOf, type FuzzTarget } from './property';
import { targets } from './targets';

/** A chunk of one target's cases takes about this long; the targets take turns chunk by chunk. */
const CHUNK_MS = 250;
/** No word from the child for this long: the case it is on hangs. */
const HANG_MS = 30_000;
/** Counterexamples and errors are cut to this for printing. */
const SHOWN_CHARS = 1_500;

interface Failure {
  target: string;
  seed: number;
  /** fast-check's path to the shrunk case, or, for a hang or a crash, the chunk's run count. */
  path?: string;
  runs?: number;
  counterexample: string;
  error: string;
}

type Report =
  | { type: 'alive' }
  | { type: 'chunk'; target: string; seed: number; runs: number }
  | { type: 'done'; target: string; cases: number }
  | { type: 'failure'; failure: Failure; cases: number }
  | { type: 'finished' };

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    target: { type: 'string', multiple: true },
    path: { type: 'string' },
    runs: { type: 'string' },
    /** The child's: when to stop, in epoch ms. */
    deadline: { type: 'string' },
  },
});

function selected(): FuzzTarget<never>[] {
  const names = values.target;
  if (!names) return [...targets];
  const unknown = names.filter((n) => !targets.some((t) => t.name === n));
  if (unknown.length > 0) throw new Error(`no fuzz target ${unknown.join(', ')}; known: ${targets.map((t) => t.name).join(', ')}`);
  return targets.filter((t) => names.includes(t.name));
}

const cut = (text: string): string => (text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${text.length} characters)` : text);

function shown(value: unknown): string {
  try {
    return cut(fc.stringify(value));
  } catch {
    return '(too deeply nested to print: replay it with --path)';
  }
}

function reproduce(f: Failure): string {
  return `npm run fuzz -- --target ${f.target} --seed ${f.seed} ${f.path !== undefined ? `--path ${f.path}` : `--runs ${f.runs}`}`;
}

function printFailure(f: Failure): void {
  console.log(`\n✗ ${f.target}: ${f.error.split('\n')[0]}`);
  console.log(`  reproduce: ${reproduce(f)}`);
  console.log(`  counterexample: ${f.counterexample}`);
  if (f.error.includes('\n')) console.log(`  ${cut(f.error).replaceAll('\n', '\n  ')}`);
}

/** A failure as it happens, in a line (the details come with the summary). */
function announce(f: Failure): void {
  console.log(`✗ ${f.target}: ${f.error.split('\n')[0].slice(0, 200)}`);
}

/** Seeds for successive chunks, from the run's seed (mulberry32). */
function seeds(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % 2 ** 31;
  };
}

/** The child: runs the targets in turns until the deadline, reporting every chunk to the supervisor. */
async function fuzz(list: FuzzTarget<never>[], seed: number, deadline: number): Promise<void> {
  const send = (report: Report): void => void process.send!(report);
  let lastAlive = 0;
  progress.onCase = () => {
    const now = Date.now();
    if (now - lastAlive < 1_000) return;
    lastAlive = now;
    send({ type: 'alive' });
  };
  const nextSeed = seeds(seed);
  const runs = new Map(list.map((t) => [t.name, 10]));
  const opened = new Set<FuzzTarget<never>>();
  const live = new Set(list);
  while (Date.now() < deadline && live.size > 0) {
    for (const target of list) {
      if (!live.has(target) || Date.now() >= deadline) continue;
      if (!opened.has(target)) {
        await target.open?.();
        opened.add(target);
      }
      const chunkSeed = nextSeed();
      const numRuns = runs.get(target.name)!;
      send({ type: 'chunk', target: target.name, seed: chunkSeed, runs: numRuns });
      const started = performance.now();
      const details = await fc.check(propertyOf(target), { seed: chunkSeed, numRuns });
      const ms = performance.now() - started;
      if (details.failed) {
        live.delete(target);
        const error = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
        send({ type: 'failure', cases: details.numRuns, failure: { target: target.name, seed: chunkSeed, path: details.counterexamplePath ?? undefined, counterexample: shown(details.counterexample?.[0]), error: cut(error) } });
      } else {
        send({ type: 'done', target: target.name, cases: details.numRuns });
        runs.set(target.name, Math.max(1, Math.min(5_000, Math.round((numRuns * CHUNK_MS) / Math.max(ms, 1)))));
      }
    }
  }
  for (const target of opened) await target.close?.();
  await new Promise<void>((resolve) => process.send!({ type: 'finished' } satisfies Report, () => resolve()));
}

/** Replays one case (or one chunk) in this process, as a failure report said. */
async function replay(target: FuzzTarget<never>, seed: number): Promise<number> {
  await target.open?.();
  const details = await fc.check(propertyOf(target), { seed, path: values.path, numRuns: values.runs ? Number(values.runs) : undefined, endOnFailure: true });
  await target.close?.();
  if (!details.failed) {
    console.log(`${target.name}: ${details.numRuns} cases, no failure (seed ${seed}${values.path ? `, path ${values.path}` : ''})`);
    return 0;
  }
  const error = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
  printFailure({ target: target.name, seed, path: details.counterexamplePath ?? values.path, counterexample: shown(details.counterexample?.[0]), error });
  return 1;
}

interface Tally {
  cases: number;
  failure?: Failure;
}

/** The supervisor: forks the child, watches it, restarts it without a target that hung or crashed it. */
async function supervise(list: FuzzTarget<never>[], seed: number, seconds: number): Promise<number> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const tallies = new Map<string, Tally>(list.map((t) => [t.name, { cases: 0 }]));
  console.log(`fuzzing ${list.length} targets for ${seconds} s, seed ${seed}`);
  let generation = 0;
  for (;;) {
    const remaining = list.filter((t) => !tallies.get(t.name)!.failure);
    if (remaining.length === 0 || Date.now() >= deadline - 1_000) break;
    const childSeed = generation === 0 ? seed : (seed + generation) % 2 ** 31;
    const args = ['--deadline', String(deadline), '--seed', String(childSeed), ...remaining.flatMap((t) => ['--target', t.name])];
    const ended = await watch(fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] }), tallies, deadline);
    if (ended === 'finished') break;
    if (ended === 'broken') {
      console.log('\nfuzz: the fuzzing process died before trying a case (its error is above)');
      return 1;
    }
    generation++;
  }
  const seconds_ = (Date.now() - started) / 1000;
  const width = Math.max(...list.map((t) => t.name.length));
  console.log(`\n${'target'.padEnd(width)}  ${'cases'.padStart(9)}  failures`);
  let cases = 0;
  const failures: Failure[] = [];
  for (const target of list) {
    const tally = tallies.get(target.name)!;
    cases += tally.cases;
    if (tally.failure) failures.push(tally.failure);
    console.log(`${target.name.padEnd(width)}  ${String(tally.cases).padStart(9)}  ${tally.failure ? 1 : 0}`);
  }
  for (const failure of failures) printFailure(failure);
  console.log(`\nfuzz: ${cases} cases in ${seconds_.toFixed(1)} s across ${list.length} targets, ${failures.length} failure${failures.length === 1 ? '' : 's'} (seed ${seed})`);
  return failures.length > 0 ? 1 : 0;
}

/**
 * Follows one child until it finishes, hangs or dies; a hang or a death is the current chunk's
 * target's failure ('lost'), one before any chunk is the harness's own ('broken').
 */
function watch(child: ChildProcess, tallies: Map<string, Tally>, deadline: number): Promise<'finished' | 'lost' | 'broken'> {
  return new Promise((resolve) => {
    let heard = Date.now();
    let chunk: { target: string; seed: number; runs: number } | undefined;
    let finished = false;
    let killedFor: string | undefined;
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString('utf8')).slice(-SHOWN_CHARS);
      process.stderr.write(data);
    });
    const lose = (error: string): void => {
      if (!chunk) return;
      const tally = tallies.get(chunk.target)!;
      tally.failure ??= { target: chunk.target, seed: chunk.seed, runs: chunk.runs, counterexample: '(somewhere in the chunk: replay it with --runs)', error };
      announce(tally.failure);
    };
    const timer = setInterval(() => {
      const silent = Date.now() - heard;
      if (silent > HANG_MS) killedFor = `no progress for ${Math.round(silent / 1000)} s: a case hangs`;
      else if (Date.now() > deadline + HANG_MS) killedFor = `still running ${HANG_MS / 1000} s after the deadline: closing the target hangs`;
      if (killedFor) child.kill('SIGKILL');
    }, 1_000);
    child.on('message', (report: Report) => {
      heard = Date.now();
      if (report.type === 'chunk') chunk = report;
      else if (report.type === 'done') tallies.get(report.target)!.cases += report.cases;
      else if (report.type === 'failure') {
        const tally = tallies.get(report.failure.target)!;
        tally.cases += report.cases;
        tally.failure = report.failure;
        announce(report.failure);
      } else if (report.type === 'finished') finished = true;
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (!finished && !(chunk && tallies.get(chunk.target)!.failure)) lose(killedFor ?? `the fuzzing process died (${signal ?? `exit code ${code}`}): ${stderr.trim()}`);
      resolve(finished ? 'finished' : chunk ? 'lost' : 'broken');
    });
  });
}

async function main(): Promise<number> {
  const list = selected();
  const seed = values.seed !== undefined ? Number(values.seed) : randomInt(2 ** 31);
  if (values.deadline !== undefined) {
    await fuzz(list, seed, Number(values.deadline));
    return 0;
  }
  if (values.path !== undefined || values.runs !== undefined) {
    if (list.length !== 1 || values.seed === undefined) throw new Error('a replay needs one --target and its --seed');
    return replay(list[0], seed);
  }
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, not ${values.seconds}`);
  return supervise(list, seed, seconds);
}

process.exitCode = await main();
// Sockets of targets that talk to servers must not keep the process alive once the work is done.
process.exit();
