import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsStateCode } from '../../identifiers';
import { ALL_STAGES, TransferStage } from '../../stages';
import { Topics } from '../../topics';

export class EvidenceV1 {
  @Describe('reference of the evidence (document number, DOF reference, acta number)') @IsString() @MaxLength(200) reference: string;
  @Describe('date of the evidence (YYYY-MM-DD)') @IsISO8601({ strict: true }) date: string;
  @Describe('SHA-256 of the stored document, if one was uploaded') @IsOptional() @Matches(/^[a-f0-9]{64}$/) documentSha256?: string;
}

export class ChecklistItemCompletedV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('stage whose gate the item belongs to') @IsIn(ALL_STAGES) stage: TransferStage;
  @Describe('checklist item id within the stage definition') @IsString() @MaxLength(100) itemId: string;
  @Describe('what the item asks for') @IsString() @MaxLength(500) title: string;
  @Describe('manual (closed by a person with evidence) or event (closed by another service)') @IsIn(['manual', 'event']) source: 'manual' | 'event';
  @Describe('who closed it: a person, or the event type that closed it') @IsString() @MaxLength(200) completedBy: string;
  @Describe('evidence given for a manual item') @IsOptional() @ValidateNested() @Type(() => EvidenceV1) evidence?: EvidenceV1;
  @Describe('when it was closed') @IsISO8601({ strict: true }) completedAt: string;
}

export const ChecklistItemCompleted = defineEvent({
  type: 'transfer.checklist-item-completed.v1',
  topic: Topics.TransferStateTransfer,
  source: 'transfer',
  payload: ChecklistItemCompletedV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "An item of a state's stage gate was closed, by a person with evidence or by another service's event.",
  consumers: ['gateway'],
});

export class StateOperationalV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('when the state reached full federal operation') @IsISO8601({ strict: true }) operationalSince: string;
}

export const StateOperational = defineEvent({
  type: 'transfer.state-operational.v1',
  topic: Topics.TransferStateTransfer,
  source: 'transfer',
  payload: StateOperationalV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: 'A state reached OPERATION: its services run fully under IMSS-BIENESTAR (procurement enrolls it).',
  consumers: ['procurement', 'gateway'],
});

export class TransferProgressV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('current stage') @IsIn(ALL_STAGES) stage: TransferStage;
  @Describe('whole days in the current stage') @IsInt() @Min(0) daysInStage: number;
  @Describe('units inventoried for the state') @IsInt() @Min(0) unitsTotal: number;
  @Describe('units by lifecycle status') @IsObject() unitsByStatus: Record<string, number>;
  @Describe('% of included units handed over') @IsNumber() @Min(0) @Max(100) handedOverPercent: number;
  @Describe('% of included units re-registered under a new CLUES') @IsNumber() @Min(0) @Max(100) reRegisteredPercent: number;
  @Describe('open items of the current gate') @IsInt() @Min(0) openGateItems: number;
  @Describe('when the figures were computed') @IsISO8601({ strict: true }) computedAt: string;
}

export const TransferProgressUpdated = defineEvent({
  type: 'transfer.progress-updated.v1',
  topic: Topics.TransferStateTransfer,
  source: 'transfer',
  payload: TransferProgressV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "A state's transfer figures changed (units by status, % handed over and re-registered, open gate items).",
  consumers: ['gateway'],
});
