import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { RecordEvidenceDto } from './evidence.dto';
import { EvidenceService } from './evidence.service';

@ApiTags('dignification evidence')
@ApiBearerAuth()
@Controller('dignification/allocations')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post(':id/evidence')
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiCreatedResponse({ description: 'The photo’s record (201; 200 when the same photo was already recorded), flagged when taken far from the unit' })
  async record(@Param('id') id: string, @Body() body: RecordEvidenceDto, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const { created, evidence } = await this.evidence.record(id, body, user);
    res.status(created ? 201 : 200);
    return evidence;
  }

  @Get(':id/evidence')
  @ApiOkResponse({ description: 'The photos recorded for the allocation’s works' })
  list(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.evidence.list(id, user);
  }
}
