import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Branch, BRANCHES, Category, CATEGORIES, POST_CODE_PATTERN } from './post-code';

export class CreatePostCodeDto {
  @ApiProperty({ example: 'M01006' })
  @Matches(POST_CODE_PATTERN, { message: 'code must be 1–2 capital letters and 5 digits, like M01006' })
  code: string;

  @ApiProperty({ example: 'MEDICO GENERAL "A"' }) @IsString() @MinLength(3) @MaxLength(200) title: string;
  @ApiProperty({ enum: BRANCHES }) @IsIn(BRANCHES, { message: `branch must be one of ${BRANCHES.join(', ')}` }) branch: Branch;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` }) category: Category;
}
