// Writing a planned import (import-write.ts): the index of identities by person is dropped while the
// identifiers go in and made again after them, and an import cut short while it is dropped gets it
// back, with the checkpoint setting the writes changed.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importProfiles, type ProfileMapping } from '../../src-main/profiles/import';
import { recoverInterruptedImport } from '../../src-main/profiles/import-write';
import { ProfileService } from '../../src-main/profiles/service';
import type { Db } from '../../src-main/storage/db';
import { SecretBox } from '../../src-main/storage/secrets';
import { freshDb } from './helpers';

const mapping: ProfileMapping = { crm: 'crm_id', phone: 'phone', dy: 'douyin_uid', tags: 'tags' };

/** Customers, one in ten sharing a phone with another, so that rows join persons and refuse. */
function file(rows: number): Buffer {
  const lines = ['crm,phone,dy,tags'];
  for (let i = 0; i < rows; i++) {
    const phone = `139${String(i % 10 === 0 ? i % 100 : i).padStart(8, '0')}`;
    lines.push(`c${i},${phone},dy_${(i * 7919) % rows},VIP${i % 3 ? '' : ',复购'}`);
  }
  return Buffer.from(lines.join('\n'));
}

function personIndex(db: Db): string | undefined {
  return db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'identities_person'").pluck().get() as string | undefined;
}

describe('the index of identities by person', () => {
  it('is there after a planned import, as the schema makes it, and used', async () => {
    const { db } = freshDb();
    const made = personIndex(db);
    const report = await importProfiles(db, file(3_000), { fileName: 'crm.csv', mapping });
    expect(report.inserted).toBeGreaterThan(1_000);
    expect(personIndex(db)).toBe(made);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT type FROM identities WHERE person_id = 5').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toContain('identities_person');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('comes back, with the checkpoint setting, however the import is cut short', async () => {
    // A cut after each progress report in turn, until the import gets to finish: how many turns it
    // takes depends on the machine's speed, so none is counted beforehand.
    let cutWithoutIndex = 0;
    for (let cut = 1; ; cut++) {
      const { db } = freshDb();
      let seen = 0;
      const finished = await importProfiles(db, file(3_000), {
        fileName: 'crm.csv',
        mapping,
        onProgress: () => {
          if (++seen === cut) throw new Error('power cut');
        },
      }).then(
        () => true,
        (err: unknown) => {
          expect(err).toEqual(new Error('power cut'));
          return false;
        },
      );
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      if (finished) break;
      if (personIndex(db) === undefined) cutWithoutIndex++;
      recoverInterruptedImport(db);
      expect(personIndex(db)).toBeDefined();
    }
    expect(cutWithoutIndex).toBeGreaterThan(0);
  });

  it('comes back when the app starts after a crash', async () => {
    const { db } = freshDb();
    let seen = 0;
    const crash = importProfiles(db, file(3_000), {
      fileName: 'crm.csv',
      mapping,
      onProgress: (done, total) => {
        if (done > 0.4 * total && personIndex(db) === undefined && ++seen === 1) throw new Error('crash');
      },
    });
    await expect(crash).rejects.toThrow('crash');
    expect(personIndex(db)).toBeUndefined();
    new ProfileService(db, new SecretBox(randomBytes(32), 'file'), () => false);
    expect(personIndex(db)).toBeDefined();
  });

  it('comes back at once when an import through the profile service fails', async () => {
    const { db } = freshDb();
    const service = new ProfileService(db, new SecretBox(randomBytes(32), 'file'), () => false);
    const bytes = file(3_000);
    const upload = service.uploads.begin('crm.csv', bytes.length);
    service.uploads.append(upload, 0, bytes);
    let failed = false;
    const failing = service.import(upload, mapping, (done, total) => {
      if (done > 0.4 * total && personIndex(db) === undefined && !failed) {
        failed = true;
        throw new Error('disk full');
      }
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(failed).toBe(true);
    expect(personIndex(db)).toBeDefined();
  });
});
