import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsClues } from '@imb/contracts';
import { PageQuery } from '@imb/platform';
import { POST_STATUSES, PostStatus } from '../rosters/roster-row';

export class ListPostsQuery extends PageQuery(100) {
  @ApiPropertyOptional({ description: 'current or previous CLUES of the unit' }) @IsOptional() @IsClues() clues?: string;
  @ApiPropertyOptional({ enum: POST_STATUSES }) @IsOptional() @IsIn(POST_STATUSES) status?: PostStatus;
}
