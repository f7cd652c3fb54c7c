import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { BaseConfig } from './config/base-config';
import { loadConfig } from './config/load-config';
import { buildDataSourceOptions } from './database/data-source-options';
import { PlatformExceptionFilter } from './errors/platform-exception.filter';
import { createValidationPipe } from './errors/validation';
import { HealthController } from './health/health.controller';
import { KafkaHealthIndicator } from './health/kafka.health';
import { RedisHealthIndicator } from './health/redis.health';
import { HttpDrain } from './http/http-drain';
import { buildLoggerParams } from './logging/logger-params';
import { MetricsController } from './metrics/metrics.controller';
import { enableDefaultMetrics } from './metrics/metrics';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from './platform-options';

/** Holds the options and the validated config; global so every module can inject them. */
@Global()
@Module({})
class PlatformConfigModule {}

function configModule(options: PlatformModuleOptions): DynamicModule {
  const configClass = options.config ?? BaseConfig;
  const providers: Provider[] = [
    { provide: PLATFORM_OPTIONS, useValue: options },
    {
      provide: configClass,
      useFactory: () =>
        loadConfig(configClass, options.env ?? process.env, { service: options.service, port: options.port }),
    },
  ];
  if (configClass !== BaseConfig) providers.push({ provide: BaseConfig, useExisting: configClass });
  return {
    module: PlatformConfigModule,
    global: true,
    providers,
    exports: [PLATFORM_OPTIONS, configClass, ...(configClass !== BaseConfig ? [BaseConfig] : [])],
  };
}

/**
 * Everything a service boots with: validated config, JSON logging, TypeORM (migrations only),
 * GET /health, GET /metrics, the global exception filter and validation pipe.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    enableDefaultMetrics(options.service);
    const config = configModule(options);
    const imports: NonNullable<DynamicModule['imports']> = [
      config,
      LoggerModule.forRootAsync({
        imports: [config],
        inject: [BaseConfig],
        useFactory: (c: BaseConfig) =>
          buildLoggerParams({
            service: options.service,
            level: c.LOG_LEVEL,
            destination: options.logDestination,
          }),
      }),
      TerminusModule.forRoot({ errorLogStyle: 'json' }),
    ];
    const { database } = options;
    if (database) {
      imports.push(
        TypeOrmModule.forRootAsync({
          imports: [config],
          inject: [BaseConfig],
          useFactory: (c: BaseConfig) =>
            buildDataSourceOptions({ ...database, url: c.DATABASE_URL, applicationName: options.service }),
        }),
      );
    }
    return {
      module: PlatformModule,
      global: true,
      imports,
      controllers: [HealthController, MetricsController],
      providers: [
        RedisHealthIndicator,
        KafkaHealthIndicator,
        HttpDrain,
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [config],
    };
  }
}
