// The demo room played in real time: every tick it feeds the simulated events that are now due.
// This is the default source, so a newcomer sees a live room with no configuration at all.
import type { Intake } from '../intake';
import type { Source } from '../source';
import { DemoRoom } from './demo-room';
import { messageOf } from '../../shared/values';

const TICK_MS = 50;

export interface DemoSourceOptions {
  seed: number;
  rate: number;
}

export class DemoSource implements Source {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DemoSourceOptions) {}

  start(intake: Intake): void {
    const room = new DemoRoom({ ...this.options, startTs: Date.now() });
    intake.setState('connected', 'demo');
    const tick = (): void => {
      try {
        intake.value(room.eventsUntil(Date.now()));
      } catch (err) {
        clearInterval(this.timer);
        intake.setState('error', messageOf(err));
      }
    };
    tick();
    this.timer = setInterval(tick, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
