import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { BaseConfig } from '../config/base-config';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from '../platform-options';
import { describeError, withTimeout } from './with-timeout';

/** Redis check of GET /health: PING on a dedicated connection, made on first use and kept. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private client?: Redis;
  private connecting?: Promise<void>;
  private lastConnectionError?: string;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: BaseConfig,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformModuleOptions,
  ) {}

  /** Reports `key` up when Redis answers PING within the health timeout. */
  async check(key = 'redis', timeoutMs = 1500): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.ping(timeoutMs), timeoutMs, 'Redis');
      return indicator.up();
    } catch (err) {
      const notConnected = this.client?.status !== 'ready' && this.lastConnectionError;
      return indicator.down({
        message: notConnected ? `not connected: ${notConnected}` : describeError(err),
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.status === 'ready') {
      await client.quit().catch(() => client.disconnect());
    } else {
      client?.disconnect();
    }
  }

  private async ping(timeoutMs: number): Promise<void> {
    const client = this.connection(timeoutMs);
    if (client.status === 'wait') {
      this.connecting ??= client.connect().finally(() => (this.connecting = undefined));
    }
    if (this.connecting) await this.connecting;
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error('Redis did not answer PONG');
  }

  private connection(timeoutMs: number): Redis {
    if (!this.client) {
      // No offline queue: while Redis is away a PING fails at once instead of waiting in line.
      this.client = new Redis(this.config.REDIS_URL, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: timeoutMs,
        // A refused socket never emits the 'close' that cancels ioredis' disconnect timer; keep it short.
        disconnectTimeout: 100,
        connectionName: `${this.options.service}-health`,
        retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
      });
      // Connection errors are what the check reports; without a listener ioredis would print each one.
      this.client.on('error', (err: Error) => (this.lastConnectionError = err.message));
      this.client.on('ready', () => (this.lastConnectionError = undefined));
    }
    return this.client;
  }
}
