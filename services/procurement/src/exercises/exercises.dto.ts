import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { EXERCISE_CODE_PATTERN } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';
import { EXERCISE_STAGES, ExerciseStage } from './exercise-stages';

export class PlannedStageDto {
  @ApiProperty({ enum: EXERCISE_STAGES })
  @IsIn(EXERCISE_STAGES, { message: `stage must be one of: ${EXERCISE_STAGES.join(', ')}` })
  stage: ExerciseStage;

  @ApiPropertyOptional({ example: '2026-02-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'plannedStart must be a date, YYYY-MM-DD' })
  plannedStart?: string;

  @ApiPropertyOptional({ example: '2026-03-15' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'plannedEnd must be a date, YYYY-MM-DD' })
  plannedEnd?: string;
}

export class CreateExerciseDto {
  @ApiProperty({ example: '2027-2028', description: 'The years the exercise covers' })
  @Matches(EXERCISE_CODE_PATTERN, { message: 'code must be the years of the exercise, e.g. 2027-2028 (or 2027)' })
  code: string;

  @ApiProperty({ example: 'Compra consolidada 2027-2028' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: [PlannedStageDto], description: 'Planned dates of the stages of the calendar' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EXERCISE_STAGES.length)
  @ValidateNested({ each: true })
  @Type(() => PlannedStageDto)
  calendar?: PlannedStageDto[];
}

export class UpdateCalendarDto {
  @ApiProperty({ type: [PlannedStageDto] })
  @IsArray()
  @ArrayMaxSize(EXERCISE_STAGES.length)
  @ValidateNested({ each: true })
  @Type(() => PlannedStageDto)
  calendar: PlannedStageDto[];
}

export class AdvanceExerciseDto {
  @ApiProperty({ enum: EXERCISE_STAGES })
  @IsIn(EXERCISE_STAGES, { message: `toStage must be one of: ${EXERCISE_STAGES.join(', ')}` })
  toStage: ExerciseStage;

  @ApiPropertyOptional({ description: 'Required when going back' })
  @IsOptional()
  @IsString()
  @MinLength(5, { message: 'reason must say why, in at least 5 characters' })
  @MaxLength(2000)
  reason?: string;
}

export class ListExercisesQuery extends PageQuery {}
