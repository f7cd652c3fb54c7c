import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { Category, CATEGORIES } from '../post-codes/post-code';

export class HiringTargetDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` }) category: Category;
  @ApiProperty({ example: 1200 }) @IsInt() @Min(0) @Max(1_000_000) target: number;
}

export class SetHiringTargetsDto {
  @ApiProperty({ type: [HiringTargetDto] })
  @ValidateNested({ each: true })
  @Type(() => HiringTargetDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(CATEGORIES.length)
  targets: HiringTargetDto[];
}
