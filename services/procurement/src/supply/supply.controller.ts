import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, Roles, StateScope } from '@imb/auth';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { SupplyReportsService } from './reports.service';
import { ComplianceListQuery, FillRateQuery, IssueSupplyOrderDto, RecordDeliveryDto, SupplyFilterQuery } from './supply.dto';
import { SupplyService } from './supply.service';

/**
 * Supply orders, deliveries and their figures. Procurement officers issue orders and record
 * deliveries for the states their token carries; state coordinators read their own states'
 * orders, deliveries and figures (403 on another state); federal coordinators and auditors read
 * every state (./scope.ts).
 */
@ApiTags('procurement supply')
@ApiBearerAuth()
@Roles(...PROCUREMENT_READERS, 'state-coordinator')
@Controller('procurement')
export class SupplyController {
  constructor(
    private readonly supply: SupplyService,
    private readonly reports: SupplyReportsService,
  ) {}

  @Post('contracts/:id/supply-orders')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({
    description: '{ batchId, quantity, contractOrdered, contractMax, orders: [{ id, stateCode, quantity }] }: one order per state, summing exactly to quantity; 200 with the first orders when requestKey was used before',
  })
  @ApiConflictResponse({ description: 'Above the contract MAX (nothing is ordered), or no state has demand of the clave' })
  async issue(@Param('id') id: string, @Body() body: IssueSupplyOrderDto, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const { created, ...batch } = await this.supply.issue(id, body, user);
    res.status(created ? 201 : 200);
    return batch;
  }

  @Get('exercises/:code/supply-orders')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ items: [{ id, contractId, clave, supplierRfc, stateCode, quantity, dueDate, delivered, deliveredOnTime, pending }], total, page, pageSize }' })
  @ApiForbiddenResponse({ description: 'stateCode of a state the caller may not see' })
  list(@Param('code') code: string, @Query() q: SupplyFilterQuery, @CurrentUser() user: Principal) {
    return this.supply.list(code, q, user);
  }

  @Get('supply-orders/:id')
  @ApiOkResponse({ description: 'The order, its deliveries and its penalty' })
  @ApiForbiddenResponse({ description: 'An order of a state the caller may not see' })
  get(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.supply.get(id, user);
  }

  @Get('supply-orders/:id/deliveries')
  @ApiOkResponse({ description: '{ items: [{ id, deliveryKey, quantity, deliveredOn, daysLate }], total, page, pageSize }' })
  @ApiForbiddenResponse({ description: 'An order of a state the caller may not see' })
  deliveries(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.supply.deliveries(id, user);
  }

  @Post('supply-orders/:id/deliveries')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({ description: 'The delivery (201), or 200 with the first one when its deliveryKey was already reported' })
  @ApiConflictResponse({ description: 'More pieces than the order has pending (nothing is recorded), or the key was used for another delivery' })
  async deliver(@Param('id') id: string, @Body() body: RecordDeliveryDto, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const { created, delivery } = await this.supply.deliver(id, body, user);
    res.status(created ? 201 : 200);
    return delivery;
  }

  @Get('exercises/:code/fill-rate')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ by, totals, items: [{ stateCode | clave | supplierRfc, orders, ordered, delivered, deliveredOnTime, pending, fillRate }], total, page, pageSize }' })
  fillRate(@Param('code') code: string, @Query() q: FillRateQuery, @CurrentUser() user: Principal) {
    return this.reports.fillRate(code, q, user);
  }

  @Get('exercises/:code/supplier-compliance')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ asOf, items: [{ supplierRfc, piecesDue, piecesOnTime, compliance }], total, page, pageSize }' })
  supplierCompliance(@Param('code') code: string, @Query() q: ComplianceListQuery, @CurrentUser() user: Principal) {
    return this.reports.supplierCompliance(code, q, user);
  }

  @Get('exercises/:code/penalties')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ totals: { orders, latePieces, uncapped, penalty }, items: [{ orderId, stateCode, orderValue, uncapped, cap, penalty, capped, deliveries }], total, page, pageSize }' })
  penalties(@Param('code') code: string, @Query() q: SupplyFilterQuery, @CurrentUser() user: Principal) {
    return this.reports.penalties(code, q, user);
  }
}
