// A recording engine in its own process, for the crash test: plays the demo room at the given rate
// into the data dir, and reports every 100 ms how many events it has processed and the newest event
// time, until it is killed.
import { Engine } from '../../src-main/engine/engine';

const [dataDir, rate] = process.argv.slice(2);
const engine = new Engine({ dataDir, version: 'crash-test', demo: { rate: Number(rate) } });
engine.start();
setInterval(() => {
  void Promise.resolve(engine.handlers.getSnapshot({})).then((s) => {
    process.stdout.write(`${JSON.stringify({ events: s.health.events, session: s.session.id })}\n`);
  });
}, 100);
