import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { BaseConfig } from '../config/base-config';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from '../platform-options';
import { describeError, withTimeout } from './with-timeout';

/**
 * Kafka check of GET /health: describeCluster through an admin client whose connection is kept
 * between checks and dropped after any failure, so the next check starts clean.
 */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin?: Admin;
  private connected?: Promise<void>;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: BaseConfig,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformModuleOptions,
  ) {}

  /** Reports `key` up with the number of brokers when the cluster answers within the timeout. */
  async check(key = 'kafka', timeoutMs = 1500): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      const cluster = await withTimeout(this.describeCluster(timeoutMs), timeoutMs, 'Kafka');
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (err) {
      await this.reset();
      return indicator.down({ message: describeError(err) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private async describeCluster(timeoutMs: number): ReturnType<Admin['describeCluster']> {
    const admin = this.client(timeoutMs);
    this.connected ??= admin.connect();
    await this.connected;
    return admin.describeCluster();
  }

  private client(timeoutMs: number): Admin {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: `${this.options.service}-health`,
        brokers: this.config.KAFKA_BROKERS,
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        retry: { retries: 0 },
        // The check reports failures itself; kafkajs would otherwise log every refused connection.
        logLevel: logLevel.NOTHING,
      });
      this.admin = kafka.admin({ retry: { retries: 0 } });
    }
    return this.admin;
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connected = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
