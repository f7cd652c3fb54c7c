import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { closeAllStreams } from './sse';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Ends the server-sent event streams as soon as a stop signal arrives. Nest's own signal handler
 * then closes the app, whose HTTP drain would otherwise wait its full timeout for the streams.
 */
@Injectable()
export class StreamsShutdown implements OnModuleInit, OnModuleDestroy {
  onModuleInit(): void {
    for (const signal of SIGNALS) process.on(signal, closeAllStreams);
  }

  onModuleDestroy(): void {
    for (const signal of SIGNALS) process.off(signal, closeAllStreams);
  }
}
