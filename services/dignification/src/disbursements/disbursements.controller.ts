import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { DisburseDto } from './disbursements.dto';
import { DisbursementsService } from './disbursements.service';

/** Dignification officers pay the allocations of their states; federal coordinators any. */
@ApiTags('dignification disbursements')
@ApiBearerAuth()
@Controller('dignification/allocations')
export class DisbursementsController {
  constructor(private readonly disbursements: DisbursementsService) {}

  @Post(':id/disbursements')
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiCreatedResponse({ description: 'The tranche paid (201), or 200 with the first payment when the idempotencyKey was already used' })
  @ApiConflictResponse({ description: 'The tranche would exceed the allocation (nothing is written), or the key was used for another amount' })
  async disburse(@Param('id') id: string, @Body() body: DisburseDto, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const { created, disbursement } = await this.disbursements.disburse(id, body, user);
    res.status(created ? 201 : 200);
    return disbursement;
  }

  @Get(':id/disbursements')
  @ApiOkResponse({ description: 'The allocation, what has been paid, and its tranches' })
  list(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.disbursements.list(id, user);
  }
}
