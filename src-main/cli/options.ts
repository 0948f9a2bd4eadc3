// Command-line options shared by the engine's entry points (browser mode and the desktop utility
// process), with the environment variables that stand in for them.
import { parseArgs } from 'node:util';
import type { EngineOptions } from '../engine/engine';
import { resolveDataDir } from '../storage/data-dir';

export interface CliOptions {
  dataDir: string;
  host: string;
  port: number;
  token?: string;
  /** Override the demo source's seed and rate for this run. */
  demoSeed?: number;
  demoRate?: number;
}

export const DEFAULT_PORT = 4317;

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'demo-seed': { type: 'string' },
      'demo-rate': { type: 'string' },
    },
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown): number | undefined => {
    const n = Number(str(v));
    return str(v) !== undefined && Number.isFinite(n) ? n : undefined;
  };
  return {
    dataDir: resolveDataDir(str(values['data-dir']), env),
    host: str(values.host) ?? '127.0.0.1',
    port: num(values.port) ?? DEFAULT_PORT,
    token: str(values.token) ?? env.LIVEDECK_TOKEN,
    demoSeed: num(values['demo-seed']),
    demoRate: num(values['demo-rate']),
  };
}

/** The engine's share of the options. */
/** The engine's options from the command line; the desktop's keychain-held secret key arrives in LIVEDECK_SECRET_KEY. */
export function engineOptions(options: CliOptions, version: string, env: NodeJS.ProcessEnv = process.env): EngineOptions {
  return { dataDir: options.dataDir, version, demo: { seed: options.demoSeed, rate: options.demoRate }, secretKey: env.LIVEDECK_SECRET_KEY || undefined };
}
