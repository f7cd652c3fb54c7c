import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@imb/auth';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { ListContractsQuery } from './contracts.dto';
import { ContractsService } from './contracts.service';

/** Open contracts: procurement officers open them from the award; federal coordinators and auditors read them. */
@ApiTags('procurement contracts')
@ApiBearerAuth()
@Roles(...PROCUREMENT_READERS)
@Controller('procurement')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post('exercises/:code/contracts')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({ description: '{ opened, alreadyOpen, total }: one contract per award not yet contracted (idempotent)' })
  @ApiConflictResponse({ description: 'The tender has not been evaluated' })
  open(@Param('code') code: string) {
    return this.contracts.open(code);
  }

  @Get('exercises/:code/contracts')
  @ApiOkResponse({ description: '{ items: [{ id, clave, supplierRfc, min, max, unitPrice, ordered, available, penaltyRatePerDay, penaltyCapShare }], total, page, pageSize }' })
  list(@Param('code') code: string, @Query() q: ListContractsQuery) {
    return this.contracts.list(code, q);
  }

  @Get('contracts/:id')
  @ApiOkResponse({ description: 'One contract, with the pieces ordered on it so far' })
  get(@Param('id') id: string) {
    return this.contracts.get(id);
  }
}
