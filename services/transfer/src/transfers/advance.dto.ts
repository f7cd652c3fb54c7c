import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ALL_STAGES, TransferStage } from '@imb/contracts';

export class AdvanceStageDto {
  @ApiProperty({ enum: ALL_STAGES, description: 'Stage to move to' })
  @IsIn(ALL_STAGES, { message: `toStage must be one of ${ALL_STAGES.join(', ')}` })
  toStage: TransferStage;

  @ApiPropertyOptional({ description: 'Why; required to go back a stage, to decline or to suspend' })
  @IsOptional()
  @IsString()
  @MinLength(5, { message: 'reason must say why in at least 5 characters' })
  @MaxLength(2000)
  reason?: string;
}
