import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EVENT_CATALOGUE } from '@imb/contracts';
import { ConsumerOptions, ConsumerRunner } from './consumer';
import { createKafka, ensureTopics } from './kafka';
import { MessagingLogger } from './logger';
import { EventProducer } from './producer';
import { OutboxRelay } from './relay';

export const KAFKA = Symbol('KAFKA');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** Service name: Kafka client id, and the `source` of its events. */
  service: string;
  brokers?: string[];
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
  /**
   * Prefix of every topic and consumer group (env KAFKA_NAMESPACE), so that several environments,
   * or a test run beside a running demo, can share one cluster without seeing each other's events.
   */
  namespace?: string;
}

function nestLogger(name: string): MessagingLogger {
  const l = new Logger(name);
  return {
    debug: (obj, msg) => l.debug({ ...obj, msg }),
    info: (obj, msg) => l.log({ ...obj, msg }),
    warn: (obj, msg) => l.warn({ ...obj, msg }),
    error: (obj, msg) => l.error({ ...obj, msg }),
  };
}

/** Starts the outbox relay and the consumers a service registers, and stops them gracefully. */
@Injectable()
export class MessagingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];
  private readonly pending: ConsumerOptions[] = [];
  private relay?: OutboxRelay;
  private started = false;

  constructor(
    @Inject(KAFKA) readonly kafka: Kafka,
    readonly producer: EventProducer,
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  /** Registers a consumer group; it starts with the application (or at once if already started). */
  async consume(options: ConsumerOptions): Promise<void> {
    if (this.started) await this.startConsumer(options);
    else this.pending.push(options);
  }

  /** `<namespace>.` or '' */
  get prefix(): string {
    const ns = this.options.namespace ?? process.env.KAFKA_NAMESPACE ?? '';
    return ns ? `${ns}.` : '';
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await ensureTopics(this.kafka, [...new Set(EVENT_CATALOGUE.map((d) => this.prefix + d.topic))]);
    if (this.options.relay !== false) {
      this.relay = new OutboxRelay(this.dataSource, this.producer, {
        logger: nestLogger('OutboxRelay'),
        topicPrefix: this.prefix,
      });
      await this.relay.start();
    }
    for (const options of this.pending.splice(0)) await this.startConsumer(options);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.relay?.stop();
    await this.producer.disconnect();
  }

  private async startConsumer(options: ConsumerOptions): Promise<void> {
    const runner = new ConsumerRunner(this.kafka, this.dataSource, this.producer, {
      logger: nestLogger(`Consumer:${options.groupId}`),
      ...options,
      groupId: this.prefix + options.groupId,
      topics: options.topics.map((t) => this.prefix + t),
    });
    this.runners.push(runner);
    await runner.start();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: KAFKA, useFactory: () => createKafka({ clientId: options.service, brokers: options.brokers }) },
        { provide: EventProducer, useFactory: (kafka: Kafka) => new EventProducer(kafka), inject: [KAFKA] },
        MessagingService,
      ],
      exports: [KAFKA, EventProducer, MessagingService],
    };
  }
}
