import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '@imb/auth';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from '../platform-options';
import { KafkaHealthIndicator } from './kafka.health';
import { RedisHealthIndicator } from './redis.health';

/** GET /health: the checks this service enabled, 200 when all are up and 503 otherwise. */
@ApiTags('platform')
@Public()
@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    database: TypeOrmHealthIndicator,
    redis: RedisHealthIndicator,
    kafka: KafkaHealthIndicator,
    @Inject(PLATFORM_OPTIONS) options: PlatformModuleOptions,
  ) {
    const timeout = options.healthTimeoutMs ?? 1500;
    this.checks = [
      ...(options.database ? [() => database.pingCheck('database', { timeout })] : []),
      ...(options.redis ? [() => redis.check('redis', timeout)] : []),
      ...(options.kafka ? [() => kafka.check('kafka', timeout)] : []),
    ];
  }

  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks);
    } catch (err) {
      // Terminus reports "down" as a 503 exception; answer with its report as is, not as an error body.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(503);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
