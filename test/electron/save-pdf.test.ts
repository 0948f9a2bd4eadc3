// Saving a report as PDF on the desktop, with `electron` mocked: Chromium's printToPDF of the page,
// written where the save dialog says, under a file name that cannot leave the chosen folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const dialogs: { defaultPath: string }[] = [];
let answer: { canceled: boolean; filePath?: string } = { canceled: true };

vi.mock('electron', () => ({
  BrowserWindow: { fromWebContents: () => undefined },
  dialog: {
    showSaveDialog: (options: { defaultPath: string }) => {
      dialogs.push(options);
      return Promise.resolve(answer);
    },
  },
}));

const { savePdf } = await import('../../src-main/electron/save-pdf');

const page = { printToPDF: () => Promise.resolve(Buffer.from('%PDF-1.7 report')) } as never;

describe('saving a report as PDF', () => {
  it('writes the printed page where the user chose, and nothing when they cancel', async () => {
    const path = join(tempDir(), '复盘.pdf');
    answer = { canceled: false, filePath: path };
    expect(await savePdf(page, '../../双十一 / 第1场')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.7 report');
    expect(dialogs.at(-1)!.defaultPath).toBe(' 第1场.pdf'); // no folder in the suggested name

    answer = { canceled: true };
    const other = join(tempDir(), 'x.pdf');
    expect(await savePdf(page, 'x.pdf')).toBe(false);
    expect(existsSync(other)).toBe(false);
  });
});
