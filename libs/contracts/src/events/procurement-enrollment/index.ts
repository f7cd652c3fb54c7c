import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsStateCode } from '../../identifiers';
import { Topics } from '../../topics';

export class StateEnrolledV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('exercise from which IMSS-BIENESTAR buys for the state, e.g. 2027-2028') @IsOptional() @IsString() @MaxLength(20) exerciseCode?: string;
  @Describe('when the state was enrolled') @IsISO8601({ strict: true }) enrolledAt: string;
}

export const StateEnrolled = defineEvent({
  type: 'procurement.state-enrolled.v1',
  topic: Topics.ProcurementEnrollment,
  source: 'procurement',
  payload: StateEnrolledV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: 'A state was enrolled in the consolidated purchase under IMSS-BIENESTAR (closes its transfer gate item).',
  consumers: ['transfer', 'gateway'],
});
