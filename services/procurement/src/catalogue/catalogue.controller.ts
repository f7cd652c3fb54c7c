import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { claveProblem } from '@imb/contracts';
import { Roles } from '@imb/auth';
import { DomainError } from '@imb/platform';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { CreateClaveDto, ListClavesQuery } from './catalogue.dto';
import { CatalogueService } from './catalogue.service';

@ApiTags('procurement catalogue')
@ApiBearerAuth()
@Controller('procurement/claves')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: '{ items: [{ clave, group, description, unit, cucop }], total, page, pageSize }' })
  list(@Query() query: ListClavesQuery) {
    return this.catalogue.list(query);
  }

  @Get(':clave')
  @Roles(...PROCUREMENT_READERS)
  get(@Param('clave') clave: string) {
    const problem = claveProblem(clave);
    if (problem) throw new DomainError('INVALID_CLAVE', problem, 400);
    return this.catalogue.get(clave);
  }

  @Post()
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({ description: 'The clave added to the catalogue' })
  @ApiConflictResponse({ description: 'Already in the catalogue' })
  create(@Body() body: CreateClaveDto) {
    return this.catalogue.create(body);
  }
}
