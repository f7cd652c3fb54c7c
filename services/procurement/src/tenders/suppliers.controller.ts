import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { rfcProblem } from '@imb/contracts';
import { Roles } from '@imb/auth';
import { DomainError } from '@imb/platform';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { ComplianceHistoryDto, ComplianceQuery } from './tenders.dto';
import { TendersService } from './tenders.service';

/** Suppliers' delivery records: imported history from before the system, and the record a tender sees. */
@ApiTags('procurement suppliers')
@ApiBearerAuth()
@Roles(...PROCUREMENT_READERS)
@Controller('procurement/suppliers')
export class SuppliersController {
  constructor(private readonly tenders: TendersService) {}

  @Put('compliance-history')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: '{ recorded }: monthly figures { supplierRfc, month, piecesDue, piecesOnTime }; a month given again replaces the earlier figure' })
  setHistory(@Body() body: ComplianceHistoryDto) {
    return this.tenders.setComplianceHistory(body.items);
  }

  @Get(':rfc/compliance')
  @ApiOkResponse({
    description: '{ supplierRfc, window, system: { piecesDue, piecesOnTime }, imported: {…}, piecesDue, piecesOnTime, compliance } — compliance is null when nothing was due',
  })
  compliance(@Param('rfc') rfc: string, @Query() q: ComplianceQuery) {
    const problem = rfcProblem(rfc);
    if (problem) throw new DomainError('BAD_RFC', problem, 400);
    return this.tenders.supplierCompliance(rfc, q.asOf, q.months);
  }
}
