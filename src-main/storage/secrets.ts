// Secrets at rest — platform tokens and cookies, the CRM token, webhook secrets — sealed with
// AES-256-GCM. The key: on the desktop the Electron main process keeps it wrapped by the OS keychain
// (safeStorage) and hands it to the engine; in browser mode, where there is no keychain, it is a file
// of its own in the data folder (readable by the user only), which protects a copied database but not
// a copied folder — the UI says so.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'sealed:v1:';
export const SECRET_KEY_FILE = 'secret.key';

/** How the key is protected: by the OS keychain, or only by the data folder's file permissions. */
export type SecretProtection = 'os' | 'file';

export class SecretBox {
  constructor(
    private readonly key: Buffer,
    readonly protection: SecretProtection,
  ) {
    if (key.length !== 32) throw new Error('a secret key is 32 bytes');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain text of a sealed value; a value stored before sealing existed is returned as it is. */
  open(value: string): string {
    if (!value.startsWith(PREFIX)) return value;
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('a stored secret cannot be opened with this key (was the data folder copied from another machine?)');
    }
  }
}

/** Browser mode's key: the data folder's `secret.key`, created (user-readable only) on first use. */
export function fileKey(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const key = randomBytes(32);
    writeFileSync(path, key.toString('hex'), { mode: 0o600, flag: 'wx' });
    return key;
  }
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length !== 32) throw new Error(`${path} is damaged: the stored secrets cannot be opened without it`);
  return key;
}
