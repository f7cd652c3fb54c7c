import { IsIn, IsISO8601, IsString, IsUUID, MaxLength } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsClues, IsCurp, IsStateCode } from '../../identifiers';
import { Topics } from '../../topics';

export class WorkerFormalizedV1 {
  @Describe('id of the worker in the hr service') @IsUUID() workerId: string;
  @Describe('CURP of the worker') @IsCurp() curp: string;
  @Describe('INEGI code of the state of the post') @IsStateCode() stateCode: string;
  @Describe('the formalization campaign (basificación) that appointed the worker') @IsUUID() campaignId: string;
  @Describe('the contract that became base (permanent)') @IsUUID() contractId: string;
  @Describe('the post (plaza) that became permanent') @IsUUID() postId: string;
  @Describe("the post's number in the state payroll") @IsString() @MaxLength(50) postNumber: string;
  @Describe('post code (código de puesto), e.g. M01006') @IsString() @MaxLength(10) postCode: string;
  @Describe('category the hiring dashboards count the post under') @IsString() @MaxLength(40) category: string;
  @Describe('CLUES of the unit of the post') @IsClues() clues: string;
  @Describe('contract type before the appointment') @IsIn(['eventual', 'temporal', 'honorarios']) previousContractType: string;
  @Describe('when the appointment (nombramiento) was made') @IsISO8601({ strict: true }) appointedAt: string;
}

export const WorkerFormalized = defineEvent({
  type: 'hr.worker-formalized.v1',
  topic: Topics.HrWorker,
  source: 'hr',
  payload: WorkerFormalizedV1,
  keyField: 'workerId',
  stateCode: (p) => p.stateCode,
  description: 'A worker on an eventual or temporary contract was appointed to a permanent (base) post by a formalization campaign.',
  consumers: ['gateway'],
});
