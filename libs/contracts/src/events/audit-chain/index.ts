import { IsIn, IsISO8601, Matches } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent, EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';

/** The services that keep an audit chain in their own database. */
export const AUDITED_SERVICES = ['transfer', 'hr', 'procurement', 'dignification'] as const;
export type AuditedService = (typeof AUDITED_SERVICES)[number];

/**
 * Most anchors one verification of a chain compares: the gateway sends the newest of each hour,
 * up to this many (about seven months of hours), which keeps the request under 1 MB.
 */
export const AUDIT_VERIFY_MAX_ANCHORS = 5000;

export class AuditChainAnchoredV1 {
  @Describe('service whose audit chain this is') @IsIn(AUDITED_SERVICES) service: AuditedService;
  @Describe('sequence number of the newest record of the chain') @Matches(/^[1-9][0-9]{0,18}$/) seq: string;
  @Describe('SHA-256 (hex) of that record, which covers every record before it') @Matches(/^[a-f0-9]{64}$/) hash: string;
  @Describe('when that record was written') @IsISO8601({ strict: true }) occurredAt: string;
}

/**
 * A service's audit chain head, published periodically so that a copy of it lives outside the
 * service's database: the gateway keeps it, and verifying the chain against it detects records
 * cut off the end of the chain or a chain rewritten from some record on (which a chain checked
 * only against itself cannot show). One event type per service, so each keeps its own source.
 */
function auditChainAnchored(service: AuditedService): EventDefinition<AuditChainAnchoredV1> {
  return defineEvent({
    type: `${service}.audit-chain-anchored.v1`,
    topic: Topics.AuditChain,
    source: service,
    payload: AuditChainAnchoredV1,
    keyField: 'service',
    description: `The head (newest sequence number and hash) of ${service}'s audit chain, kept outside its database.`,
    consumers: ['gateway'],
  });
}

export const AuditChainAnchored: Record<AuditedService, EventDefinition<AuditChainAnchoredV1>> = {
  transfer: auditChainAnchored('transfer'),
  hr: auditChainAnchored('hr'),
  procurement: auditChainAnchored('procurement'),
  dignification: auditChainAnchored('dignification'),
};
