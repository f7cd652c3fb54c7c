import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, Min, ValidateNested } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsStateCode } from '../../identifiers';
import { Topics } from '../../topics';

/** Categories of posts HR tracks (the public dashboards report specialists, GPs and nursing). */
export const HIRING_CATEGORIES = ['specialist', 'general-practitioner', 'nursing', 'paramedic', 'administrative'] as const;

export class CategoryProgressV1 {
  @Describe('post category') @IsIn(HIRING_CATEGORIES) category: string;
  @Describe('hiring target (0 when none is set)') @IsInt() @Min(0) target: number;
  @Describe('occupied posts of the category with a contract') @IsInt() @Min(0) filled: number;
  @Describe('filled / target in percent, one decimal; null when no target is set') @IsOptional() @IsNumber() @Min(0) percent: number | null;
}

export class HiringProgressUpdatedV1 {
  @Describe('INEGI code of the state') @IsStateCode() stateCode: string;
  @Describe('target, filled and percent per category')
  @ValidateNested({ each: true })
  @Type(() => CategoryProgressV1)
  @ArrayMaxSize(HIRING_CATEGORIES.length)
  categories: CategoryProgressV1[];
  @Describe('when the figures were computed') @IsISO8601({ strict: true }) computedAt: string;
}

export const HiringProgressUpdated = defineEvent({
  type: 'hr.hiring-progress-updated.v1',
  topic: Topics.HrHiring,
  source: 'hr',
  payload: HiringProgressUpdatedV1,
  keyField: 'stateCode',
  stateCode: (p) => p.stateCode,
  description: "A state's hiring targets or filled posts changed (per category: target, filled, percent), for the national overview.",
  consumers: ['gateway'],
});
