// The desktop's secret key with `electron` mocked: safeStorage stands in for the OS keychain.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const keychain = { available: true };
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => keychain.available,
    encryptString: (plain: string) => Buffer.from(`os:${Buffer.from(plain).toString('base64')}`),
    decryptString: (wrapped: Buffer) => Buffer.from(wrapped.toString().slice(3), 'base64').toString(),
  },
}));

const { keychainKey } = await import('../../src-main/electron/secret-key');

describe('the desktop secret key', () => {
  it('is created once and kept in the data folder only wrapped by the keychain', () => {
    const dir = tempDir();
    const key = keychainKey(dir)!;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(keychainKey(dir)).toBe(key);
    const wrapped = readFileSync(join(dir, 'secret.key.os'));
    expect(wrapped.toString()).not.toContain(key);
    expect(statSync(join(dir, 'secret.key.os')).mode & 0o077).toBe(0);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('takes over the key browser mode left, so the secrets it sealed still open', () => {
    const dir = tempDir();
    const browserKey = 'ab'.repeat(32);
    writeFileSync(join(dir, 'secret.key'), browserKey);
    expect(keychainKey(dir)).toBe(browserKey);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    expect(keychainKey(dir)).toBe(browserKey);
  });

  it('leaves the engine to its key file where the OS has no keychain', () => {
    keychain.available = false;
    try {
      expect(keychainKey(tempDir())).toBeUndefined();
    } finally {
      keychain.available = true;
    }
  });
});
