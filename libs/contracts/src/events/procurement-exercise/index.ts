import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { Topics } from '../../topics';

/** Stages of a consolidated-purchase exercise's calendar, in order. */
export const EXERCISE_STAGES = [
  'NEEDS_DIAGNOSIS',
  'DEMAND_INTEGRATION',
  'MARKET_RESEARCH',
  'PRE_BASES',
  'PROPOSALS',
  'EVALUATION',
  'AWARD',
  'CONTRACTING',
  'SUPPLY',
  'CLOSED',
] as const;
export type ExerciseStage = (typeof EXERCISE_STAGES)[number];

/** Code of an exercise: the years it covers, e.g. 2027-2028 (or a single year, 2027). */
export const EXERCISE_CODE_PATTERN = /^\d{4}(-\d{4})?$/;

export class ExerciseStageChangedV1 {
  @Describe('exercise code, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('stage before the change; null when the exercise was created') @IsOptional() @IsIn(EXERCISE_STAGES)
  fromStage: ExerciseStage | null;
  @Describe('stage after the change') @IsIn(EXERCISE_STAGES) toStage: ExerciseStage;
  @Describe('why (required when going back)') @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @Describe('when the stage changed (ISO 8601)') @IsISO8601({ strict: true }) changedAt: string;
}

export const ExerciseStageChanged = defineEvent({
  type: 'procurement.exercise-stage-changed.v1',
  topic: Topics.ProcurementExercise,
  source: 'procurement',
  payload: ExerciseStageChangedV1,
  keyField: 'exerciseCode',
  description: 'A consolidated-purchase exercise moved to another stage of its calendar (back only with a reason).',
  consumers: ['gateway'],
});

export class DemandConsolidatedV1 {
  @Describe('exercise code, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('claves with demand') @IsInt() @Min(0) claves: number;
  @Describe('institutions with demand') @IsInt() @Min(0) institutions: number;
  @Describe('national MIN, pieces') @IsInt() @Min(0) totalMin: number;
  @Describe('national MAX, pieces') @IsInt() @Min(0) totalMax: number;
  @Describe('states enrolled (IMSS-BIENESTAR buys for them) when consolidated') @IsInt() @Min(0) enrolledStates: number;
  @Describe('when the consolidation was computed') @IsISO8601({ strict: true }) consolidatedAt: string;
}

export const DemandConsolidated = defineEvent({
  type: 'procurement.demand-consolidated.v1',
  topic: Topics.ProcurementExercise,
  source: 'procurement',
  payload: DemandConsolidatedV1,
  keyField: 'exerciseCode',
  description: "An exercise's demand was consolidated: national MIN/MAX per clave, by institution and by state.",
  consumers: ['gateway'],
});
