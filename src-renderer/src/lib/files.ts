// Files between the user's disk and the engine, the same on the desktop and in browser mode: a picked
// file goes up in chunks (beginImport / importChunk), a file the engine made comes down in chunks
// (readDownload) and is saved through the browser's download; charts save as PNG the same way.
import type { DownloadInfo } from '@contract';
import { MAX_CHUNK_BYTES } from '@contract/types';
import { engine } from './engine';

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'));
    reader.readAsDataURL(blob);
  });
}

/** Sends the file to the engine; `progress` is told the share sent. Answers the upload's id. */
export async function upload(file: File, progress: (share: number) => void): Promise<string> {
  const { uploadId } = await engine.invoke('beginImport', { fileName: file.name, size: file.size });
  for (let offset = 0; offset < file.size; offset += MAX_CHUNK_BYTES) {
    await engine.invoke('importChunk', { uploadId, offset, data: await base64Of(file.slice(offset, offset + MAX_CHUNK_BYTES)) });
    progress(Math.min(1, (offset + MAX_CHUNK_BYTES) / file.size));
  }
  return uploadId;
}

/** The bytes of base64 text. */
export function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** Saves a blob as a file in the user's downloads. */
export function save(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Reads a file the engine made and saves it. */
export async function download(info: DownloadInfo): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; ; ) {
    const { data, done } = await engine.invoke('readDownload', { downloadId: info.downloadId, offset });
    const bytes = bytesOf(data);
    parts.push(bytes);
    offset += bytes.length;
    if (done) break;
  }
  save(new Blob(parts, { type: info.mime }), info.fileName);
}
