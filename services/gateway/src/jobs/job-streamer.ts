import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayConfig } from '../config/gateway.config';
import { openSse, StreamOwner } from '../streams/sse';
import { passThrough, UpstreamClient } from '../upstreams/upstream-client';
import { ServiceName } from '../upstreams/upstreams';

/** How often a job stream reads the job from its service. */
export const JOB_POLL_MS = 300;

const finished = (job: unknown) => {
  const status = (job as { status?: unknown } | null)?.status;
  return status === 'completed' || status === 'failed';
};

/** Follows one job at its owning service and streams its changes as server-sent events. */
@Injectable()
export class JobStreamer {
  private readonly logger = new Logger(JobStreamer.name);

  constructor(
    private readonly client: UpstreamClient,
    private readonly config: GatewayConfig,
  ) {}

  /** Answers the service's error as it is (404, 403…) before the stream starts; then streams. */
  async stream(
    service: ServiceName,
    id: string,
    owner: StreamOwner,
    authorization: string | undefined,
    res: Response,
  ): Promise<void> {
    const path = `/api/jobs/${encodeURIComponent(id)}`;
    const first = await this.client.get(service, path, authorization);
    if (first.status >= 400) throw passThrough(first);
    const sse = openSse(res, owner, this.config.SSE_MAX_PER_IDENTITY);
    let last = JSON.stringify(first.body);
    sse.send('progress', first.body);
    if (finished(first.body)) return sse.close();
    while (!sse.closed) {
      await new Promise((r) => setTimeout(r, JOB_POLL_MS));
      if (sse.closed) break;
      try {
        const answer = await this.client.get(service, path, authorization);
        if (answer.status >= 400) {
          sse.send('error', answer.body);
          return sse.close();
        }
        const text = JSON.stringify(answer.body);
        if (text !== last) sse.send('progress', answer.body);
        last = text;
        if (finished(answer.body)) return sse.close();
      } catch (err) {
        // The service may be restarting; keep the stream and try again on the next tick.
        this.logger.warn(`job ${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
