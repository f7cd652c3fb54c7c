import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsClave, IsRfc } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';

export class ListContractsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsClave() clave?: string;
  @ApiPropertyOptional() @IsOptional() @IsRfc() supplierRfc?: string;
}
