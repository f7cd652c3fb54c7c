import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** PostgreSQL channel on which a committed change of the overview is announced. */
export const OVERVIEW_CHANNEL = 'gateway_overview';

/**
 * Announces, inside the transaction that changes the read model, which states changed. PostgreSQL
 * delivers the notification only if and when the transaction commits, so listeners never see
 * a change before it is readable (and every gateway instance hears it).
 */
export async function announceOverviewChange(manager: EntityManager, stateCodes: string[]): Promise<void> {
  await manager.query(`SELECT pg_notify($1, $2)`, [OVERVIEW_CHANNEL, stateCodes.join(',')]);
}

/** Who wants to hear of committed changes: the state codes changed (empty when unknown or none in particular). */
export type OverviewListener = (stateCodes: string[]) => void;

/** Listens on {@link OVERVIEW_CHANNEL} and tells the cache and the streams that the overview changed. */
@Injectable()
export class OverviewChanges implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OverviewChanges.name);
  private readonly listeners = new Set<OverviewListener>();
  private client?: PoolClient;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `listener` after each committed change; returns the function that stops it. */
  subscribe(listener: OverviewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    this.client?.removeAllListeners();
    this.client?.release(true);
    this.client = undefined;
  }

  private emit(stateCodes: string[]): void {
    for (const listener of this.listeners) listener(stateCodes);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
      const client = await pool.connect();
      client.on('notification', (msg) => this.emit(msg.payload ? msg.payload.split(',') : []));
      client.on('error', (err) => {
        this.logger.warn(`LISTEN connection lost (${err.message}); reconnecting`);
        this.client = undefined;
        client.release(true);
        setTimeout(() => void this.listen(), 1000).unref();
      });
      await client.query(`LISTEN ${OVERVIEW_CHANNEL}`);
      this.client = client;
      // Changes may have been missed while no connection listened: everyone re-reads.
      this.emit([]);
    } catch (err) {
      this.logger.warn(
        `cannot LISTEN for overview changes (${err instanceof Error ? err.message : String(err)}); retrying`,
      );
      setTimeout(() => void this.listen(), 1000).unref();
    }
  }
}
