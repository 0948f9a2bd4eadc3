// The engine's secret key on the desktop: kept in the data folder only wrapped by the OS keychain
// (Electron safeStorage), unwrapped here in the main process and handed to the engine process. A key
// file left by browser mode is wrapped and removed, so the secrets it sealed still open.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { SECRET_KEY_FILE } from '../storage/secrets';

const WRAPPED_FILE = `${SECRET_KEY_FILE}.os`;

/** The key (hex), or undefined when the OS offers no keychain (the engine then keeps its own key file). */
export function keychainKey(dataDir: string): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const wrapped = join(dataDir, WRAPPED_FILE);
  if (existsSync(wrapped)) return safeStorage.decryptString(readFileSync(wrapped));
  const plain = join(dataDir, SECRET_KEY_FILE);
  const key = existsSync(plain) ? readFileSync(plain, 'utf8').trim() : randomBytes(32).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(wrapped, safeStorage.encryptString(key), { mode: 0o600 });
  rmSync(plain, { force: true });
  return key;
}
