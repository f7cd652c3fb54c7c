import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runInContext, TransferProgressUpdated } from '@imb/contracts';
import { publishEvents } from '@imb/messaging';
import { ProgressConfig } from './progress.config';
import { progressEventPayload, progressSnapshot } from './progress-figures';
import { ProgressService } from './progress.service';

/**
 * Key of the transaction-scoped advisory lock held by the one instance publishing a round
 * ("imbprogr" in ASCII); other instances skip the round instead of waiting.
 */
export const PROGRESS_LOCK_KEY = '7596836381539657586';

/**
 * Keeps the gateway's read model current: every PROGRESS_INTERVAL_MS it recomputes all states'
 * figures in one query and, for each state whose figures differ from the last published
 * snapshot (table `state_progress`), stores the new snapshot and writes a
 * `transfer.progress-updated.v1` event to the outbox, all in one transaction. Figures change
 * with units, gates and stages, and `daysInStage` once a day, so a quiet state emits about
 * one event a day.
 */
@Injectable()
export class ProgressPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProgressPublisher.name);
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = false;
  private lastFailure?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly progress: ProgressService,
    private readonly config: ProgressConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.PROGRESS_INTERVAL_MS > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /**
   * One round: publishes the states whose figures changed and returns their codes, or null when
   * another instance is publishing at the same moment.
   */
  publishChanges(): Promise<string[] | null> {
    return runInContext({ correlationId: randomUUID(), actor: 'system:transfer' }, () =>
      this.dataSource.transaction(async (m) => {
        const [{ locked }] = await m.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${PROGRESS_LOCK_KEY}) AS locked`);
        if (!locked) return null;
        const states = await this.progress.allStates(m);
        if (!states.length) return [];
        // Upserts every state's snapshot and keeps only those whose figures differ (jsonb
        // equality ignores key order), so unchanged states cost no event and no row version.
        const changed = await m.query<{ state_code: string }[]>(
          `INSERT INTO state_progress (state_code, figures, computed_at)
           SELECT * FROM unnest($1::char(2)[], $2::jsonb[], $3::timestamptz[])
           ON CONFLICT (state_code) DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at
            WHERE state_progress.figures IS DISTINCT FROM EXCLUDED.figures
           RETURNING state_code`,
          [
            states.map((s) => s.stateCode),
            states.map((s) => JSON.stringify(progressSnapshot(s))),
            states.map((s) => s.computedAt),
          ],
        );
        const codes = new Set(changed.map((r) => r.state_code));
        const payloads = states.filter((s) => codes.has(s.stateCode)).map(progressEventPayload);
        await publishEvents(m, TransferProgressUpdated, payloads);
        return payloads.map((p) => p.stateCode);
      }),
    );
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.round = this.publishChanges()
        .then(
          (codes) => {
            if (this.lastFailure) this.logger.log('progress publishing recovered');
            this.lastFailure = undefined;
            if (codes?.length) this.logger.debug(`published progress of ${codes.length} states: ${codes.join(', ')}`);
          },
          (err: unknown) => this.reportFailure(err),
        )
        .finally(() => {
          this.round = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.config.PROGRESS_INTERVAL_MS);
  }

  // A database outage would otherwise log the same line every interval.
  private reportFailure(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (message !== this.lastFailure) this.logger.error({ err }, `publishing progress failed: ${message}; retrying every ${this.config.PROGRESS_INTERVAL_MS} ms`);
    this.lastFailure = message;
  }
}
