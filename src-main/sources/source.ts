// What every source is to the engine: something that, once started, feeds its Intake until stopped.
// Live sockets, HTTP pushes, replays and the demo room all enter the pipeline through this one door.
import type { SourceHealth } from '../contract';
import type { Intake } from './intake';

export interface Source {
  start(intake: Intake): void;
  stop(): void;
  /** Source-specific health to show beside the counters (e.g. a replay's position). */
  status?(): Pick<SourceHealth, 'replay'>;
}
