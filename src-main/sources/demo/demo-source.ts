// The demo room played in real time: every tick it emits the simulated events that are now due.
// This is the default source, so a newcomer sees a live room with no configuration at all.
import type { Emit, Source } from '../source';
import { DemoRoom } from './demo-room';

const TICK_MS = 100;

export interface DemoSourceOptions {
  seed: number;
  rate: number;
}

export class DemoSource implements Source {
  readonly name = 'demo';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DemoSourceOptions) {}

  start(emit: Emit): void {
    const room = new DemoRoom({ ...this.options, startTs: Date.now() });
    const tick = (): void => {
      const now = Date.now();
      for (const event of room.eventsUntil(now)) {
        event.recvTs = now;
        emit(event);
      }
    };
    tick();
    this.timer = setInterval(tick, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
