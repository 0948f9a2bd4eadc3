// Files on their way into an import: the UI sends a file in chunks (each well under a transport
// frame), the engine keeps them here until the import runs. Bounded in size and in time, so an
// abandoned upload cannot hold memory for long.
import { randomUUID } from 'node:crypto';
import { MAX_CHUNK_BYTES, MAX_UPLOAD_BYTES } from '../contract';
const MAX_STAGED_BYTES = 400 * 1024 * 1024;
const IDLE_MS = 30 * 60_000;

interface Upload {
  fileName: string;
  size: number;
  chunks: Buffer[];
  received: number;
  touched: number;
}

export class Uploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly now: () => number = Date.now) {}

  begin(fileName: string, size: number): string {
    this.expire();
    if (size > MAX_UPLOAD_BYTES) throw new Error(`file too large: ${size} bytes (at most ${MAX_UPLOAD_BYTES})`);
    const staged = [...this.uploads.values()].reduce((n, u) => n + u.size, 0);
    if (staged + size > MAX_STAGED_BYTES) throw new Error('too many uploads at once; finish or wait for the others');
    const id = randomUUID();
    this.uploads.set(id, { fileName, size, chunks: [], received: 0, touched: this.now() });
    return id;
  }

  /** Appends a chunk; it must start where the previous one ended. Returns the bytes received so far. */
  append(id: string, offset: number, data: Buffer): number {
    const upload = this.get(id);
    if (offset !== upload.received) throw new Error(`chunk at ${offset}, expected ${upload.received}`);
    if (data.length > MAX_CHUNK_BYTES) throw new Error(`chunk too large: ${data.length} bytes`);
    if (upload.received + data.length > upload.size) throw new Error('more bytes than the announced size');
    upload.chunks.push(data);
    upload.received += data.length;
    upload.touched = this.now();
    return upload.received;
  }

  /** The whole file, once every byte has arrived. */
  file(id: string): { fileName: string; bytes: Buffer } {
    const upload = this.get(id);
    if (upload.received !== upload.size) throw new Error(`upload incomplete: ${upload.received} of ${upload.size} bytes`);
    upload.touched = this.now();
    if (upload.chunks.length > 1) upload.chunks = [Buffer.concat(upload.chunks)];
    return { fileName: upload.fileName, bytes: upload.chunks[0] ?? Buffer.alloc(0) };
  }

  discard(id: string): void {
    this.uploads.delete(id);
  }

  private get(id: string): Upload {
    this.expire();
    const upload = this.uploads.get(id);
    if (!upload) throw new Error('no such upload (it may have expired)');
    return upload;
  }

  private expire(): void {
    const cutoff = this.now() - IDLE_MS;
    for (const [id, upload] of this.uploads) if (upload.touched < cutoff) this.uploads.delete(id);
  }
}
