// The stages every de-duplicated event passes through, in order (metrics, feed, recorder, …), after
// the person behind it has been identified once for all of them. A stage that throws is counted,
// never allowed to stop the stream.
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import { messageOf } from '../shared/values';

export type Stage = (event: LiveEvent, person: PersonFacts | undefined) => void;
export type Identify = (event: LiveEvent) => PersonFacts | undefined;

export class Pipeline {
  events = 0;
  stageErrors = 0;
  lastError: string | undefined;

  /** `stages` gives the stages in force (the live session's, which ops can replace). */
  constructor(
    private readonly identify: Identify,
    private readonly stages: () => readonly Stage[],
  ) {}

  readonly process = (event: LiveEvent): void => {
    this.events++;
    let person: PersonFacts | undefined;
    try {
      person = this.identify(event);
    } catch (err) {
      this.fail(err);
    }
    for (const stage of this.stages()) {
      try {
        stage(event, person);
      } catch (err) {
        this.fail(err);
      }
    }
  };

  /** Counts an error of a stage, also from the stage's deferred work (a batched write). */
  fail(err: unknown): void {
    this.stageErrors++;
    this.lastError = messageOf(err);
  }
}
