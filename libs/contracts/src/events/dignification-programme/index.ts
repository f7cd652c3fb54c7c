import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsClues, IsStateCode, STATES } from '../../identifiers';
import { Topics } from '../../topics';

export class StateAllocationV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('units of the state funded') @IsInt() @Min(0) units: number;
  @Describe('allocated to the units of the state, MXN') @IsNumber() @Min(0) amount: number;
}

export class AllocationComputedV1 {
  @Describe('id of the annual programme') @IsUUID() programmeId: string;
  @Describe('year of the programme') @IsInt() @Min(2000) @Max(2100) year: number;
  @Describe('national envelope, MXN') @IsNumber() @Min(0) envelope: number;
  @Describe('units funded') @IsInt() @Min(0) units: number;
  @Describe('total allocated, MXN') @IsNumber() @Min(0) total: number;
  @Describe('candidate units left out (envelope exhausted, state not joined, excluded type)') @IsInt() @Min(0) leftOut: number;
  @Describe('units and amount (MXN) by size tier, e.g. { "T1": { "units": 3, "amount": 1200000 } }') @IsObject() byTier: Record<string, { units: number; amount: number }>;
  @Describe('SHA-256 of the inputs (units, rules, envelope) the result was computed from') @IsString() @MaxLength(64) inputHash: string;
  @Describe('when it was computed') @IsISO8601({ strict: true }) computedAt: string;
  @Describe('units funded and amount (MXN) per state with any, e.g. [{ "stateCode": "13", "units": 40, "amount": 16000000 }]; absent from events published before it existed')
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StateAllocationV1)
  @ArrayMaxSize(STATES.length)
  byState?: StateAllocationV1[];
}

export const AllocationComputed = defineEvent({
  type: 'dignification.allocation-computed.v1',
  topic: Topics.DignificationProgramme,
  source: 'dignification',
  payload: AllocationComputedV1,
  keyField: 'programmeId',
  description: "An annual programme's allocation was computed (or recomputed with different inputs): units funded and amounts by size tier and by state.",
  consumers: ['gateway'],
});

export class FundsDisbursedV1 {
  @Describe('id of the disbursement (one tranche)') @IsUUID() disbursementId: string;
  @Describe('id of the annual programme') @IsUUID() programmeId: string;
  @Describe('id of the allocation paid') @IsUUID() allocationId: string;
  @Describe('CLUES of the unit whose committee (COSABI) is paid') @IsClues() clues: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('amount of this tranche, MXN') @IsNumber() @Min(0.01) amount: number;
  @Describe('paid so far on the allocation, this tranche included, MXN') @IsNumber() @Min(0) disbursedTotal: number;
  @Describe('amount allocated to the unit, MXN') @IsNumber() @Min(0) allocated: number;
  @Describe('bank or payment reference') @IsOptional() @IsString() @MaxLength(200) reference?: string;
  @Describe('when it was paid') @IsISO8601({ strict: true }) disbursedAt: string;
}

export const FundsDisbursed = defineEvent({
  type: 'dignification.funds-disbursed.v1',
  topic: Topics.DignificationProgramme,
  source: 'dignification',
  payload: FundsDisbursedV1,
  keyField: 'programmeId',
  stateCode: (p) => p.stateCode,
  description: "A tranche of a unit's allocation was paid to its committee (COSABI).",
  consumers: ['gateway'],
});

export class EvidenceFlaggedV1 {
  @Describe('id of the evidence (a photo’s record)') @IsUUID() evidenceId: string;
  @Describe('id of the annual programme') @IsUUID() programmeId: string;
  @Describe('id of the allocation the works are paid from') @IsUUID() allocationId: string;
  @Describe('CLUES of the unit') @IsClues() clues: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('SHA-256 of the photo') @IsString() @MaxLength(64) sha256: string;
  @Describe('why it was flagged, e.g. FAR_FROM_UNIT') @IsString() @MaxLength(50) reason: string;
  @Describe('distance from the unit’s coordinates, km') @IsOptional() @IsNumber() @Min(0) distanceKm?: number;
  @Describe('when the photo was taken') @IsISO8601({ strict: true }) capturedAt: string;
}

export const EvidenceFlagged = defineEvent({
  type: 'dignification.evidence-flagged.v1',
  topic: Topics.DignificationProgramme,
  source: 'dignification',
  payload: EvidenceFlaggedV1,
  keyField: 'programmeId',
  stateCode: (p) => p.stateCode,
  description: 'A photo of the works was flagged for review (taken far from its unit).',
  consumers: ['gateway'],
});

export class ProjectCompletedV1 {
  @Describe('id of the allocation whose works were completed') @IsUUID() allocationId: string;
  @Describe('id of the annual programme') @IsUUID() programmeId: string;
  @Describe('CLUES of the unit') @IsClues() clues: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('spent according to the expense booklet, MXN') @IsNumber() @Min(0) spent: number;
  @Describe('paid to the committee, MXN') @IsNumber() @Min(0) disbursed: number;
  @Describe('who verified the works') @IsString() @MaxLength(200) verifiedBy: string;
  @Describe('when it was verified') @IsISO8601({ strict: true }) completedAt: string;
}

export const ProjectCompleted = defineEvent({
  type: 'dignification.project-completed.v1',
  topic: Topics.DignificationProgramme,
  source: 'dignification',
  payload: ProjectCompletedV1,
  keyField: 'programmeId',
  stateCode: (p) => p.stateCode,
  description: "A unit's works were reviewed by its assembly and verified by an officer: the project is closed.",
  consumers: ['gateway'],
});
