import { IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsStateCode } from '../../identifiers';
import { Topics } from '../../topics';

export class RosterReconciledV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('workers on the reconciled roster') @IsInt() @Min(0) workers: number;
  @Describe('the import job that produced the roster') @IsOptional() @IsString() @MaxLength(100) jobId?: string;
  @Describe('when it was reconciled') @IsISO8601({ strict: true }) reconciledAt: string;
}

export const RosterReconciled = defineEvent({
  type: 'hr.roster-reconciled.v1',
  topic: Topics.HrRoster,
  source: 'hr',
  payload: RosterReconciledV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "A state's staff roster was imported and reconciled (closes the transfer gate item that waits for it).",
  consumers: ['transfer', 'hr', 'gateway'],
});

export class PayrollTransferredV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('workers whose payroll moved to the federation') @IsInt() @Min(0) workers: number;
  @Describe('date the federal payroll takes effect (YYYY-MM-DD)') @IsISO8601({ strict: true }) effectiveDate: string;
}

export const PayrollTransferred = defineEvent({
  type: 'hr.payroll-transferred.v1',
  topic: Topics.HrRoster,
  source: 'hr',
  payload: PayrollTransferredV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "A state's payroll was federalized (closes the PAYROLL gate item that waits for it).",
  consumers: ['transfer', 'gateway'],
});
