import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { memoryStorage } from 'multer';
import { extname } from 'node:path';
import { Roles } from '@imb/auth';
import { PageQuery } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { ClavePipe } from './clave.pipe';
import { BidDto, EvaluateDto, ImportBidsQuery, ListBidsQuery, ListOutcomesQuery, ReferencePriceBody, ReferencePricesDto, TenderTermsDto } from './tenders.dto';
import { TendersService } from './tenders.service';

/** Largest bid file accepted (a tender has a few thousand bids; a few hundred kB). */
const BID_FILE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The tender of an exercise. Procurement officers write; federal coordinators and auditors read.
 */
@ApiTags('procurement tender')
@ApiBearerAuth()
@Roles(...PROCUREMENT_READERS)
@Controller('procurement/exercises/:code/tender')
export class TendersController {
  constructor(private readonly tenders: TendersService) {}

  @Get('terms')
  @ApiOkResponse({ description: 'Award rule, compliance threshold and window, penalty rate and cap in force (defaults until set)' })
  terms(@Param('code') code: string) {
    return this.tenders.terms(code);
  }

  @Put('terms')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: 'The terms now in force' })
  setTerms(@Param('code') code: string, @Body() body: TenderTermsDto) {
    return this.tenders.setTerms(code, body);
  }

  @Put('reference-prices')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: '{ set, unchanged }: prices of claves of the exercise’s demand' })
  @ApiNotFoundResponse({ description: 'A clave is not in the exercise’s demand (nothing is written)' })
  setReferencePrices(@Param('code') code: string, @Body() body: ReferencePricesDto) {
    return this.tenders.setReferencePrices(code, body.items);
  }

  @Put('reference-prices/:clave')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: '{ set, unchanged }' })
  setReferencePrice(@Param('code') code: string, @Param('clave', ClavePipe) clave: string, @Body() body: ReferencePriceBody) {
    return this.tenders.setReferencePrices(code, [{ clave, price: body.price }]);
  }

  @Get('reference-prices')
  @ApiOkResponse({ description: '{ items: [{ clave, price, updatedAt, updatedBy }], total, page, pageSize }' })
  referencePrices(@Param('code') code: string, @Query() q: PageQuery) {
    return this.tenders.referencePrices(code, q.page ?? 1, q.pageSize ?? 100);
  }

  @Post('bids')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({ description: 'The bid (201), or 200 when it replaced the supplier’s earlier bid for the clave' })
  @ApiNotFoundResponse({ description: 'The clave is not in the exercise’s demand' })
  @ApiConflictResponse({ description: 'Contracts were already opened from the award' })
  async submitBid(@Param('code') code: string, @Body() body: BidDto, @Res({ passthrough: true }) res: Response) {
    const { created, bid } = await this.tenders.submitBid(code, body);
    res.status(created ? 201 : 200);
    return bid;
  }

  @Get('bids')
  @ApiOkResponse({ description: '{ items: [{ id, clave, supplierRfc, unitPrice, offeredQuantity, solvent, reasons: [{ code, message }] }], total, page, pageSize }' })
  bids(@Param('code') code: string, @Query() q: ListBidsQuery) {
    return this.tenders.bids(code, q);
  }

  @Post('bids/imports')
  @HttpCode(202)
  @Roles(...PROCUREMENT_WRITERS)
  @UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: BID_FILE_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'Bids as .xlsx or .csv: RFC, CLAVE, PRECIO UNITARIO, CANTIDAD OFERTADA' } },
    },
  })
  @ApiAcceptedResponse({ description: '{ jobId }: follow it at GET /api/jobs/{jobId}; per-row errors in the job' })
  @ApiBadRequestResponse({ description: 'No file, or neither .xlsx nor .csv' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than 10 MB, or an .xlsx that inflates past its limits (XLSX_TOO_LARGE names the limit)' })
  importBids(@Param('code') code: string, @Query() q: ImportBidsQuery, @UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) throw new DomainError('FILE_REQUIRED', "Attach the bid file (.xlsx or .csv) as multipart/form-data in the field 'file'", 400);
    const ext = extname(file.originalname).toLowerCase();
    if (ext !== '.xlsx' && ext !== '.csv') {
      throw new DomainError('UNSUPPORTED_FILE_TYPE', `"${file.originalname.slice(0, 200)}" is neither .xlsx nor .csv: upload the bids as a workbook or a CSV`, 400);
    }
    return this.tenders.requestBidImport(code, { name: file.originalname, format: ext === '.xlsx' ? 'xlsx' : 'csv', content: file.buffer }, q.dryRun === 'true');
  }

  @Post('evaluate')
  @HttpCode(202)
  @Roles(...PROCUREMENT_WRITERS)
  @ApiAcceptedResponse({ description: '{ jobId }: the evaluation job; running it again on the same inputs changes nothing' })
  evaluate(@Param('code') code: string, @Body() body: EvaluateDto) {
    return this.tenders.requestEvaluation(code, body.asOf);
  }

  @Get('outcomes')
  @ApiOkResponse({ description: '{ claves, awarded, deserted, notSolvent, asOf, complianceWindow, evaluatedAt }, as the published results count them' })
  @ApiConflictResponse({ description: 'Not evaluated yet' })
  outcomes(@Param('code') code: string) {
    return this.tenders.outcomes(code);
  }

  @Get('claves')
  @ApiOkResponse({ description: '{ items: [{ clave, outcome, referencePrice, bids, solventBids, awards: [{ id, supplierRfc, unitPrice, sharePct, min, max }] }], total, page, pageSize }' })
  claves(@Param('code') code: string, @Query() q: ListOutcomesQuery) {
    return this.tenders.claveOutcomes(code, q);
  }
}
