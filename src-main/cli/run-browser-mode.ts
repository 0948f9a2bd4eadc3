// Browser mode from the command line: starts it, prints where to open it, and shuts down cleanly.
import { version } from '../../package.json';
import { startBrowserMode } from '../transport/browser-mode';
import { parseCliOptions } from './options';

/** `staticDir` is the built renderer (out/renderer), which each entry point locates from itself. */
export async function runBrowserMode(argv: string[], staticDir: string): Promise<void> {
  const options = parseCliOptions(argv);
  const mode = await startBrowserMode({ ...options, version, staticDir });
  // The token is never printed: whoever set it knows it, and a terminal or its log is no place for it.
  console.log(`LiveDeck (browser mode) is running: ${mode.server.shownUrl}`);
  console.log(`  anchor view / OBS browser source${options.token ? ' (read-only token)' : ''}: ${mode.server.anchorUrl}`);
  console.log(`  data: ${options.dataDir}`);
  const shutdown = (): void => {
    void mode.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
