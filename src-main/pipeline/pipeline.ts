// The one path every event takes after its source: de-duplicate, then hand it to each stage in turn
// (metrics, feed, recorder, …). A stage that throws is counted, never allowed to stop the stream.
import type { LiveEvent } from '../events/live-event';
import { Dedup } from './dedup';

export type Stage = (event: LiveEvent) => void;

export class Pipeline {
  events = 0;
  duplicates = 0;
  stageErrors = 0;
  lastError: string | undefined;
  private readonly dedup = new Dedup();

  constructor(private readonly stages: Stage[]) {}

  readonly push = (event: LiveEvent): void => {
    if (!this.dedup.firstSeen(event.platform, event.id)) {
      this.duplicates++;
      return;
    }
    this.events++;
    for (const stage of this.stages) {
      try {
        stage(event);
      } catch (err) {
        this.stageErrors++;
        this.lastError = err instanceof Error ? err.message : String(err);
      }
    }
  };
}
