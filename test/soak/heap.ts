// The V8 heap in use after full collections, for memory-flatness checks inside a vitest worker (which
// is not started with --expose-gc: the flag is set at run time and the collector taken from a fresh
// context, where V8 then installs `gc`).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** heapUsed in MB after two full collections (the second frees what finalizers of the first let go). */
export function settledHeapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
