import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AUDITED_SERVICES, AuditChainAnchored, AuditedService } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const INTERVAL = 'expected a whole number of milliseconds from 1000 to 3600000';

/** How often a service publishes its audit chain's head. */
export class AuditConfig extends BaseConfig {
  /**
   * Milliseconds between two looks at the chain's head; a head that moved is published. Records
   * written since the last anchor are protected by the chain alone until the next one.
   */
  @IntFromEnv()
  @IsInt({ message: INTERVAL })
  @Min(1000, { message: INTERVAL })
  @Max(3_600_000, { message: INTERVAL })
  AUDIT_ANCHOR_INTERVAL_MS = 60_000;
}

export const auditConfigProvider: Provider = {
  provide: AuditConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(AuditConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/**
 * Publishes the head of the service's audit chain (newest seq and hash) through the outbox
 * whenever it moved, so a copy lives outside the service's database: the gateway keeps every
 * one, and verifying the chain against them detects records cut off its end or a chain rewritten
 * with its hashes recomputed. Publishing the same head twice (a restart, two replicas) is
 * harmless: the gateway keeps one anchor per seq.
 */
@Injectable()
export class AuditAnchorPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditAnchorPublisher.name);
  private timer?: NodeJS.Timeout;
  private published?: string;
  private pass?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuditConfig,
    @Inject(PLATFORM_OPTIONS) private readonly platform: PlatformModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!(AUDITED_SERVICES as readonly string[]).includes(this.platform.service)) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.AUDIT_ANCHOR_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** Publishes the head if it moved since the last one this process published; returns its seq. */
  async publishHead(): Promise<string | undefined> {
    const service = this.platform.service as AuditedService;
    const seq = await this.dataSource.transaction(async (m) => {
      const [head] = await m.query<{ seq: string; hash: string; occurred_at: Date }[]>(
        `SELECT seq, hash, occurred_at FROM audit_log ORDER BY seq DESC LIMIT 1`,
      );
      if (!head || head.seq === this.published) return undefined;
      await publishEvent(m, AuditChainAnchored[service], {
        service,
        seq: head.seq,
        hash: head.hash,
        occurredAt: head.occurred_at.toISOString(),
      });
      return head.seq;
    });
    if (seq) this.published = seq;
    return seq;
  }

  private async tick(): Promise<void> {
    if (this.pass) return;
    this.pass = this.publishHead()
      .then(() => undefined)
      .catch((err: unknown) => {
        // The database may be away for a moment: the next tick tries again.
        this.logger.warn(`Could not publish the audit chain's head, will retry: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => (this.pass = undefined));
    await this.pass;
  }
}
