import { IsIn, IsISO8601, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsStateCode } from '../../identifiers';
import { ALL_STAGES, TransferStage } from '../../stages';
import { Topics } from '../../topics';

export class StageChangedV1 {
  @Describe('INEGI code of the state, 01..32') @IsStateCode() stateCode: string;
  @Describe('stage before the change; null for the initial stage') @IsOptional() @IsIn(ALL_STAGES)
  fromStage: TransferStage | null;
  @Describe('stage after the change') @IsIn(ALL_STAGES) toStage: TransferStage;
  @Describe('why (required when going back a stage)') @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @Describe('version of the stage definition the transfer runs on') @IsInt() @Min(1) definitionVersion: number;
  @Describe('when the stage changed (ISO 8601)') @IsISO8601({ strict: true }) changedAt: string;
}

export const StageChanged = defineEvent({
  type: 'transfer.stage-changed.v1',
  topic: Topics.TransferStateTransfer,
  source: 'transfer',
  payload: StageChangedV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "A state's transfer moved to another stage (forward, back with a reason, declined or suspended).",
  consumers: ['hr', 'procurement', 'dignification', 'gateway'],
});
