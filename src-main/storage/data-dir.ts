// Where LiveDeck keeps its data: `--data-dir`, else LIVEDECK_DATA_DIR, else the OS user-data folder
// (the same folder Electron's app.getPath('userData') names for an app called LiveDeck).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'LiveDeck';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.LIVEDECK_DATA_DIR || defaultDataDir(process.platform, env);
}
