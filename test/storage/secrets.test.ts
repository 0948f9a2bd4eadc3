import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { fileKey, SecretBox } from '../../src-main/storage/secrets';
import { DB_FILE } from '../../src-main/storage/db';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('secrets at rest', () => {
  it('seal and open with the key, never with another, and pass values stored before sealing through', () => {
    const box = new SecretBox(randomBytes(32), 'file');
    const sealed = box.seal('SESSDATA=abc; bili_jct=秘密');
    expect(sealed).not.toContain('abc');
    expect(box.open(sealed)).toBe('SESSDATA=abc; bili_jct=秘密');
    expect(box.seal('x')).not.toBe(box.seal('x')); // a fresh nonce every time
    expect(() => new SecretBox(randomBytes(32), 'file').open(sealed)).toThrow('cannot be opened');
    expect(box.open('plain-old-token')).toBe('plain-old-token');
  });

  it("keep browser mode's key in a file only its user can read, and refuse a damaged one", () => {
    const dir = tempDir();
    const key = fileKey(dir);
    expect(fileKey(dir).equals(key)).toBe(true);
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    writeFileSync(join(dir, 'secret.key'), 'not a key');
    expect(() => fileKey(dir)).toThrow('damaged');
  });

  it('keep source cookies and the CRM token out of the database file, and give them back after a restart', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't' });
    const cookie = 'SESSDATA=cookie-value-7f3a; bili_jct=0c1d';
    await engine.handlers.saveSource({ id: 'bili', name: 'B站', type: 'bilibili', platform: 'bilibili', enabled: false, roomId: '21452505', token: 'tok-9b2e', cookie, silenceSec: 30, heartbeatSec: 30, giftCounts: 'increment' });
    await engine.handlers.configureCrmSync({ kind: 'http', url: 'http://127.0.0.1:9/crm', token: 'crm-token-5d1c', everyMinutes: 60 });
    await engine.handlers.configureCrmSync({ kind: 'off' });
    await engine.handlers.configureCrmSync({ kind: 'http', url: 'http://127.0.0.1:9/crm', token: 'crm-token-5d1c', everyMinutes: 60 });
    expect((await engine.handlers.getInfo({})).secrets).toBe('file');
    await engine.stop();
    engine = undefined;
    const files = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(join(dataDir, DB_FILE + suffix)).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const secret of ['cookie-value-7f3a', 'tok-9b2e', 'crm-token-5d1c']) expect(files.some((f) => f.includes(secret))).toBe(false);

    engine = new Engine({ dataDir, version: 't', demo: { rate: 1 } });
    engine.start();
    const bili = (await engine.handlers.listSources({})).find((v) => v.config.id === 'bili')!;
    expect(bili.config).toMatchObject({ token: 'tok-9b2e', cookie });
    await expect.poll(async () => (await engine!.handlers.getProfileStore({})).sync).toMatchObject({ setting: { kind: 'http' }, hasToken: true });
  });
});
