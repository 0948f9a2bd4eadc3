// What every source is to the engine: something that, once started, emits LiveEvents until stopped.
// Live sockets, replays and the demo room all enter the pipeline through this one door.
import type { LiveEvent } from '../events/live-event';

export type Emit = (event: LiveEvent) => void;

export interface Source {
  readonly name: string;
  start(emit: Emit): void;
  stop(): void;
}
