import { DynamicModule, FactoryProvider, Global, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { JobsController } from './http/jobs.controller';
import { JobProcessorRegistry } from './job-processor-registry';
import { JobReconciler } from './job-reconciler';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { JobsQueue } from './jobs-queue';
import { JOBS_OPTIONS, JobsModuleOptions, resolveJobsOptions } from './jobs.options';
import { JobsService } from './jobs.service';

/** `forRootAsync` options: options built from injected configuration. */
export interface JobsModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => JobsModuleOptions | Promise<JobsModuleOptions>;
}

/**
 * Durable BullMQ jobs for one service. Needs the service's TypeORM `DataSource` injectable under
 * the `DataSource` class (as `TypeOrmModule.forRoot` provides it) with `JobsEntities` and
 * `JobsMigrations` added to it. Global: inject `JobsService` to enqueue and read jobs, and
 * `JobProcessorRegistry` to register processors.
 *
 * The same module serves both entrypoints of a service: the API process with `runWorker: true`
 * (default; it also processes jobs) or `false` (it only enqueues), and a worker process built
 * with `NestFactory.createApplicationContext(WorkerModule)` and `runWorker: true`, which has no
 * HTTP server, so the controller is simply not mounted there.
 */
@Global()
@Module({})
export class JobsModule {
  /** The module with fixed options. */
  static forRoot(options: JobsModuleOptions): DynamicModule {
    return JobsModule.build([{ provide: JOBS_OPTIONS, useValue: resolveJobsOptions(options) }]);
  }

  /** The module with options built from injected configuration. */
  static forRootAsync(options: JobsModuleAsyncOptions): DynamicModule {
    return JobsModule.build(
      [
        {
          provide: JOBS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => resolveJobsOptions(await options.useFactory(...args)),
        },
      ],
      options.imports,
    );
  }

  private static build(optionsProviders: Provider[], imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: JobsModule,
      imports,
      controllers: [JobsController],
      providers: [
        ...optionsProviders,
        JobStore,
        JobsQueue,
        JobProcessorRegistry,
        JobsService,
        JobRunner,
        JobReconciler,
      ],
      exports: [JobsService, JobProcessorRegistry, JobRunner, JobReconciler],
    };
  }
}
