// Finds a Chromium for browser tests: CHROME_PATH, then the usual system paths. Under CI a missing
// browser fails the run; elsewhere the browser tests are skipped, loudly.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const chromiumPath = candidates.find((p): p is string => !!p && existsSync(p));

if (!chromiumPath) {
  if (process.env.CI) throw new Error('No Chromium found (set CHROME_PATH or apt-get install chromium): browser tests cannot run under CI');
  console.warn('\n*** SKIPPING BROWSER TESTS: no Chromium found (set CHROME_PATH or apt-get install chromium) ***\n');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
