// The stages every de-duplicated event passes through, in order (metrics, feed, recorder, …).
// A stage that throws is counted, never allowed to stop the stream.
import type { LiveEvent } from '../events/live-event';
import { messageOf } from '../shared/values';

export type Stage = (event: LiveEvent) => void;

export class Pipeline {
  events = 0;
  stageErrors = 0;
  lastError: string | undefined;

  constructor(private readonly stages: Stage[]) {}

  readonly process = (event: LiveEvent): void => {
    this.events++;
    for (const stage of this.stages) {
      try {
        stage(event);
      } catch (err) {
        this.stageErrors++;
        this.lastError = messageOf(err);
      }
    }
  };
}
