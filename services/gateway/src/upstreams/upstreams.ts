import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway.config';

/** The services behind the gateway, by the name that prefixes their job ids and audit queries. */
export const SERVICE_NAMES = ['transfer', 'hr', 'procurement', 'dignification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}

/** Base URLs of the services, from TRANSFER_URL, HR_URL, PROCUREMENT_URL and DIGNIFICATION_URL. */
@Injectable()
export class Upstreams {
  readonly urls: Record<ServiceName, string>;

  constructor(config: GatewayConfig) {
    const strip = (url: string) => url.replace(/\/+$/, '');
    this.urls = {
      transfer: strip(config.TRANSFER_URL),
      hr: strip(config.HR_URL),
      procurement: strip(config.PROCUREMENT_URL),
      dignification: strip(config.DIGNIFICATION_URL),
    };
  }

  url(service: ServiceName): string {
    return this.urls[service];
  }
}
