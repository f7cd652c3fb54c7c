import { Module } from '@nestjs/common';
import { StreamsShutdown } from './streams-shutdown';

/** Server-sent event streams end when the process is asked to stop. */
@Module({ providers: [StreamsShutdown] })
export class StreamsModule {}
