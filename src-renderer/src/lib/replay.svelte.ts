// The replay of a recorded session as the UI holds it: a Room fed by the engine's replay stream, where
// the replay stands (position, speed, playing), and the whole session's markers for the timeline.
import type { ArgsOf, Marker, ReplayState } from '@contract';
import { engine } from './engine';
import { Room } from './room.svelte';

class Replay extends Room {
  state = $state.raw<ReplayState | undefined>();
  /** Every marker of the session (product switches, coupons, notes, answered points), from its report. */
  timeline = $state.raw<Marker[]>([]);
  missing = $state(false);

  constructor() {
    super();
    engine.on('replay', (frame) => {
      if (frame.state.sessionId !== this.state?.sessionId) return;
      this.state = frame.state;
      this.apply(frame.snapshot, frame.full);
    });
  }

  async open(id: string): Promise<void> {
    const [frame, report] = await Promise.all([engine.invoke('openReplay', { id }), engine.invoke('getSessionReport', { id })]);
    this.missing = frame === null;
    this.timeline = report?.markers ?? [];
    if (!frame) return;
    this.state = frame.state;
    this.apply(frame.snapshot, true);
  }

  async steer(args: ArgsOf<'steerReplay'>): Promise<void> {
    const state = await engine.invoke('steerReplay', args);
    if (state) this.state = state;
  }

  close(): void {
    this.state = undefined;
    void engine.invoke('closeReplay', {});
  }
}

export const replay = new Replay();
