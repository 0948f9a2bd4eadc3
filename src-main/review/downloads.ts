// Files the engine made for the user to save (session files, spreadsheets): kept in memory until the
// UI has read them in chunks (each well under a transport frame), then forgotten. The same way on the
// desktop and in browser mode: the UI assembles the chunks and saves the file. Bounded in count and
// in time, so an abandoned download cannot hold memory for long.
import { randomUUID } from 'node:crypto';
import { MAX_CHUNK_BYTES, type DownloadInfo } from '../contract';

const KEPT = 4;
const IDLE_MS = 10 * 60_000;

interface Download extends DownloadInfo {
  bytes: Buffer;
  touched: number;
}

export class Downloads {
  private readonly downloads = new Map<string, Download>();

  constructor(private readonly now: () => number = Date.now) {}

  add(fileName: string, mime: string, bytes: Buffer): DownloadInfo {
    this.expire();
    while (this.downloads.size >= KEPT) this.downloads.delete(this.downloads.keys().next().value!);
    const info = { downloadId: randomUUID(), fileName, mime, size: bytes.length };
    this.downloads.set(info.downloadId, { ...info, bytes, touched: this.now() });
    return info;
  }

  /** Up to one chunk of the file from `offset` (base64); the last chunk forgets the file. */
  read(downloadId: string, offset: number): { data: string; done: boolean } {
    this.expire();
    const download = this.downloads.get(downloadId);
    if (!download) throw new Error('no such download (it may have expired)');
    if (offset > download.size) throw new Error(`offset ${offset} past the end (${download.size} bytes)`);
    const end = Math.min(download.size, offset + MAX_CHUNK_BYTES);
    download.touched = this.now();
    if (end === download.size) this.downloads.delete(downloadId);
    return { data: download.bytes.subarray(offset, end).toString('base64'), done: end === download.size };
  }

  private expire(): void {
    const cutoff = this.now() - IDLE_MS;
    for (const [id, download] of this.downloads) if (download.touched < cutoff) this.downloads.delete(id);
  }
}
