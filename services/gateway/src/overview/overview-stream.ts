import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { SseChannel } from '../streams/sse';
import { OverviewChanges } from './overview-changes';

/** Least time between two `overview` events, so a burst of events makes a handful of refetches, not thousands. */
export const STREAM_MIN_INTERVAL_MS = 200;

/**
 * The `overview` server-sent events: one to every open stream whenever the read model changed,
 * with `{stateCode}` when one state changed and `{}` otherwise. Changes are sent at once, or
 * gathered for at most {@link STREAM_MIN_INTERVAL_MS} after the previous event.
 */
@Injectable()
export class OverviewStream implements OnModuleDestroy {
  private readonly channels = new Set<SseChannel>();
  private readonly pending = new Set<string>();
  private anyPending = false;
  private lastSent = 0;
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(changes: OverviewChanges) {
    this.unsubscribe = changes.subscribe((codes) => this.changed(codes));
  }

  add(channel: SseChannel): void {
    this.channels.add(channel);
    channel.onClose(() => this.channels.delete(channel));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
    for (const channel of this.channels) channel.close();
  }

  private changed(codes: string[]): void {
    codes.forEach((c) => this.pending.add(c));
    this.anyPending = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + STREAM_MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.anyPending) return;
    const data = this.pending.size === 1 ? { stateCode: [...this.pending][0] } : {};
    this.pending.clear();
    this.anyPending = false;
    this.lastSent = Date.now();
    for (const channel of this.channels) channel.send('overview', data);
  }
}
