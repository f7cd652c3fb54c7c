import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsClues, IsStateCode } from '../../identifiers';
import { Topics } from '../../topics';

/** Lifecycle of a unit in a transfer (DOMAIN.md §1). */
export const UNIT_STATUSES = ['INVENTORIED', 'INCLUDED', 'EXCLUDED', 'NEEDS_REGULARIZATION', 'HANDED_OVER', 'RE_REGISTERED', 'OPERATING'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export class UnitInventoriedV1 {
  @Describe('stable id of the unit; survives re-registration under a new CLUES') @IsUUID() unitId: string;
  @Describe('CLUES key') @IsClues() clues: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('unit name') @IsString() @MaxLength(300) name: string;
  @Describe('institution part of the CLUES (SSA, IMB, …)') @IsString() @MaxLength(10) institution: string;
  @Describe('NOMBRE TIPO ESTABLECIMIENTO (DE CONSULTA EXTERNA, DE HOSPITALIZACIÓN, …)') @IsOptional() @IsString() @MaxLength(200) establishmentType?: string;
  @Describe('NOMBRE DE TIPOLOGIA, e.g. RURAL DE 01 NÚCLEO BÁSICO') @IsOptional() @IsString() @MaxLength(200) typology?: string;
  @Describe('NIVEL ATENCION') @IsOptional() @IsString() @MaxLength(100) careLevel?: string;
  @Describe('ESTRATO UNIDAD (URBANO, RURAL)') @IsOptional() @IsString() @MaxLength(50) stratum?: string;
  @Describe('municipality code, 5 digits') @IsOptional() @IsString() @MaxLength(5) municipalityCode?: string;
  @Describe('locality code, 9 digits') @IsOptional() @IsString() @MaxLength(9) localityCode?: string;
  @Describe('locality name') @IsOptional() @IsString() @MaxLength(200) locality?: string;
  @Describe('latitude') @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @Describe('longitude') @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @Describe('PROPIEDAD DEL INMUEBLE') @IsOptional() @IsString() @MaxLength(100) ownership?: string;
  @Describe('when the unit was inventoried') @IsISO8601({ strict: true }) inventoriedAt: string;
}

export const UnitInventoried = defineEvent({
  type: 'transfer.unit-inventoried.v1',
  topic: Topics.TransferUnit,
  source: 'transfer',
  payload: UnitInventoriedV1,
  keyField: 'unitId',
  stateCode: (p) => p.stateCode,
  description: "A health unit entered a state's transfer inventory (from the CLUES catalogue).",
  consumers: ['hr', 'dignification', 'gateway'],
});

export class UnitStatusChangedV1 {
  @Describe('stable id of the unit') @IsUUID() unitId: string;
  @Describe('current CLUES key') @IsClues() clues: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('status before') @IsIn(UNIT_STATUSES) fromStatus: UnitStatus;
  @Describe('status after') @IsIn(UNIT_STATUSES) toStatus: UnitStatus;
  @Describe('why (exclusion, regularization)') @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @Describe('handover acta number, for HANDED_OVER') @IsOptional() @IsString() @MaxLength(100) actaNumber?: string;
  @Describe('when it changed') @IsISO8601({ strict: true }) changedAt: string;
}

export const UnitStatusChanged = defineEvent({
  type: 'transfer.unit-status-changed.v1',
  topic: Topics.TransferUnit,
  source: 'transfer',
  payload: UnitStatusChangedV1,
  keyField: 'unitId',
  stateCode: (p) => p.stateCode,
  description: "A unit moved in its lifecycle: included, excluded, needs regularization, handed over, operating.",
  consumers: ['hr', 'dignification', 'gateway'],
});

export class UnitReRegisteredV1 {
  @Describe('stable id of the unit') @IsUUID() unitId: string;
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('the old CLUES key (e.g. HGSSA…)') @IsClues() previousClues: string;
  @Describe('the new CLUES key (e.g. HGIMB…)') @IsClues() clues: string;
  @Describe('when the new key was registered') @IsISO8601({ strict: true }) reRegisteredAt: string;
}

export const UnitReRegistered = defineEvent({
  type: 'transfer.unit-re-registered.v1',
  topic: Topics.TransferUnit,
  source: 'transfer',
  payload: UnitReRegisteredV1,
  keyField: 'unitId',
  stateCode: (p) => p.stateCode,
  description: 'A unit was re-registered under a new CLUES (SSA → IMB); its posts and records follow it.',
  consumers: ['hr', 'dignification', 'gateway'],
});
