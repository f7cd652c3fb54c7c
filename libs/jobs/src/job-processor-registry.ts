import { Injectable } from '@nestjs/common';
import type { JobProcessor } from './job-processor';

/**
 * The processors of this service, by job kind. Register them in a provider's constructor or
 * `onModuleInit`: the worker starts at application bootstrap, after every module is initialised.
 */
@Injectable()
export class JobProcessorRegistry {
  private readonly processors = new Map<string, JobProcessor>();

  /** Adds the processor of one job kind; a kind has exactly one processor. */
  register<TRequest, TResult, TCheckpoint>(processor: JobProcessor<TRequest, TResult, TCheckpoint>): void {
    if (!processor.kind) throw new Error('A job processor needs a kind');
    if (this.processors.has(processor.kind)) {
      throw new Error(`A processor for job kind "${processor.kind}" is already registered`);
    }
    this.processors.set(processor.kind, processor);
  }

  /** The processor of a kind, if registered. */
  get(kind: string): JobProcessor | undefined {
    return this.processors.get(kind);
  }

  /** Kinds with a processor. */
  kinds(): string[] {
    return [...this.processors.keys()];
  }
}
