import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { TRANSFER_STAGES } from '@imb/contracts';
import { GATE_EVENT_TYPES, GateItem, PathStage } from './stage-definition';

export class GateItemDto implements GateItem {
  @ApiProperty({ example: 'annex-units', description: 'lower-case letters, digits and dashes; unique in the definition' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'id must be 1-64 lower-case letters, digits or dashes, starting with a letter or digit' })
  id: string;

  @ApiProperty({ example: 'Units annex agreed' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ enum: ['manual', 'event'] })
  @IsIn(['manual', 'event'], { message: "source must be 'manual' (closed by a person) or 'event' (closed by another service's event)" })
  source: 'manual' | 'event';

  @ApiPropertyOptional({ enum: GATE_EVENT_TYPES, description: 'event items only: the event type that closes the item' })
  @IsOptional()
  @IsString()
  eventType?: string;
}

export class StageGateDto {
  @ApiProperty({ enum: TRANSFER_STAGES })
  @IsIn(TRANSFER_STAGES, { message: `stage must be one of ${TRANSFER_STAGES.join(', ')}` })
  stage: PathStage;

  @ApiProperty({ type: [GateItemDto], description: 'the checklist that must be closed to leave the stage forward' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GateItemDto)
  gate: GateItemDto[];
}

/** A new version of the stage definitions: every stage on the path with its gate. */
export class CreateStageDefinitionDto {
  @ApiProperty({ type: [StageGateDto] })
  @IsArray()
  @ArrayMinSize(TRANSFER_STAGES.length)
  @ArrayMaxSize(TRANSFER_STAGES.length)
  @ValidateNested({ each: true })
  @Type(() => StageGateDto)
  stages: StageGateDto[];

  @ApiPropertyOptional({ description: 'why this version exists' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
