import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsStateCode } from '@imb/contracts';
import { PageQuery as PlatformPageQuery } from '@imb/platform';
import { CRITERION_IDS, CriterionId, DEFAULT_RULES } from './criteria';
import { Step, STEPS, TARGET_STEPS, TargetStep } from './steps';

export class CampaignRulesDto {
  @ApiPropertyOptional({ default: DEFAULT_RULES.minSeniorityMonths, description: 'least months of service at the cut-off date' })
  @IsOptional() @IsInt() @Min(0) @Max(600) minSeniorityMonths?: number;
  @ApiPropertyOptional({ default: DEFAULT_RULES.minPerformanceScore, description: 'least performance score, 0–100' })
  @IsOptional() @IsNumber() @Min(0) @Max(100) minPerformanceScore?: number;
  @ApiPropertyOptional({ default: DEFAULT_RULES.minTrainingHours, description: 'least training hours' })
  @IsOptional() @IsInt() @Min(0) @Max(10000) minTrainingHours?: number;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Basificación 2026 — primera ola' }) @IsString() @MinLength(3) @MaxLength(200) name: string;
  @ApiProperty({ example: ['18', '06'] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(32) @IsStateCode({ each: true }) states: string[];
  @ApiProperty({ example: '2026-01-31', description: 'seniority and contracts are judged at this date' })
  @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'cutoffDate must be a date as YYYY-MM-DD' }) cutoffDate: string;
  @ApiPropertyOptional({ type: CampaignRulesDto }) @IsOptional() @ValidateNested() @Type(() => CampaignRulesDto) rules?: CampaignRulesDto;
}

export class PageQuery extends PlatformPageQuery(100) {}

export class ListCandidatesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'one state of the campaign' }) @IsOptional() @IsStateCode() stateCode?: string;
  @ApiPropertyOptional({ enum: ['eligible', 'ineligible', 'pending'] }) @IsOptional() @IsIn(['eligible', 'ineligible', 'pending']) outcome?: 'eligible' | 'ineligible' | 'pending';
  @ApiPropertyOptional({ enum: CRITERION_IDS, description: 'only candidates failing this criterion' }) @IsOptional() @IsIn(CRITERION_IDS) criterion?: CriterionId;
  @ApiPropertyOptional({ enum: STEPS }) @IsOptional() @IsIn(STEPS) step?: Step;
}

export class MoveStepDto {
  @ApiProperty({ enum: TARGET_STEPS, description: 'the next step, or rejected (with a reason)' }) @IsIn(TARGET_STEPS) toStep: TargetStep;
  @ApiPropertyOptional({ description: 'why (required to reject)' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export const MAX_BULK = 20000;

export class BulkMoveDto extends MoveStepDto {
  @ApiProperty({ description: `CURPs of the candidates (at most ${MAX_BULK})` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK, { message: `curps may list at most ${MAX_BULK} people; split the wave into several requests` })
  @IsString({ each: true })
  curps: string[];
}
