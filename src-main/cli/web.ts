// `npm run web`: LiveDeck in browser mode. Serves the built UI and the engine on one local URL.
import { join } from 'node:path';
import { runBrowserMode } from './run-browser-mode';
import { messageOf } from '../shared/values';

runBrowserMode(process.argv.slice(2), join(import.meta.dirname, '../renderer')).catch((err: unknown) => {
  console.error(`LiveDeck could not start: ${messageOf(err)}`);
  process.exit(1);
});
