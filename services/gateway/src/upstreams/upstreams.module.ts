import { Global, Module } from '@nestjs/common';
import { UpstreamClient } from './upstream-client';
import { Upstreams } from './upstreams';

/** Where the services are and how the gateway calls them. */
@Global()
@Module({ providers: [Upstreams, UpstreamClient], exports: [Upstreams, UpstreamClient] })
export class UpstreamsModule {}
