import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_NAMES, ServiceName } from '../upstreams/upstreams';

// What the audit explorer's routes answer, for the OpenAPI document (the web app's client is
// generated from it). The controller returns the services' answers as they come; these classes
// only describe them.

/** A service the gateway could not read, and why. */
export class UnavailableServiceView {
  @ApiProperty({ enum: SERVICE_NAMES }) service: ServiceName;
  @ApiProperty() message: string;
}

/** One audit record as its service keeps it (libs/audit), tagged with the service. */
export class AuditRecordView {
  @ApiProperty({ enum: SERVICE_NAMES }) service: ServiceName;
  @ApiProperty({ description: 'position in its service’s chain (a bigint, as text)' }) seq: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ description: 'a person’s token subject, or `system:<service>`' }) actor: string;
  @ApiProperty({ example: 'transfer.stage-changed' }) action: string;
  @ApiProperty({ example: 'StateTransfer' }) entity: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ type: String, nullable: true }) stateCode: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

/** `GET /api/audit`: one page of records, newest first. */
export class AuditPageView {
  @ApiProperty({ type: [AuditRecordView] }) items: AuditRecordView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: [UnavailableServiceView] }) unavailable: UnavailableServiceView[];
}

/** The first record whose link or content does not match (no `id` for a missing anchored record). */
export class BrokenRecordView {
  @ApiProperty() seq: string;
  @ApiPropertyOptional() id?: string;
  @ApiProperty() reason: string;
}

/** One chain's verification. */
export class ChainVerificationView {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'records examined, the broken one included' }) checked: number;
  @ApiPropertyOptional({ type: BrokenRecordView }) firstBrokenAt?: BrokenRecordView;
  @ApiPropertyOptional({ description: 'heads of the chain kept by the gateway and compared' })
  anchorsChecked?: number;
}

/** One service's chain verification, within every service's. */
export class ServiceChainVerificationView extends ChainVerificationView {
  @ApiProperty({ enum: SERVICE_NAMES }) service: ServiceName;
}

/** `GET /api/audit/verify` without `service`: valid only when every chain is and every service answered. */
export class AllChainsVerificationView {
  @ApiProperty() valid: boolean;
  @ApiProperty() checked: number;
  @ApiProperty({ type: [ServiceChainVerificationView] }) services: ServiceChainVerificationView[];
  @ApiProperty({ type: [UnavailableServiceView] }) unavailable: UnavailableServiceView[];
}
