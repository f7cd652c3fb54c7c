import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsClave, IsRfc, IsStateCode } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';
import { IsCalendarDate } from './calendar-date';


export class IssueSupplyOrderDto {
  @ApiProperty({ description: 'Pieces to order; split among the states in proportion to their MAX demand of the clave', example: 10000 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  quantity: number;

  @ApiProperty({ description: 'Delivery due date, YYYY-MM-DD', example: '2027-03-31' })
  @IsCalendarDate()
  dueDate: string;

  @ApiPropertyOptional({ description: 'Chosen by the caller; repeating the request with the same key orders once and returns the first orders', example: 'OS-2027-000123' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:/-]{3,100}$/, { message: 'requestKey must be 3 to 100 letters, digits or . _ : / -' })
  requestKey?: string;
}

export class RecordDeliveryDto {
  @ApiProperty({ description: 'Key of the delivery, e.g. the remisión number; reporting the same key again counts once', example: 'REM-2027-000123' })
  @Matches(/^[A-Za-z0-9._:/-]{3,100}$/, { message: 'deliveryKey must be 3 to 100 letters, digits or . _ : / -' })
  deliveryKey: string;

  @ApiProperty({ description: 'Pieces delivered', example: 600 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  quantity: number;

  @ApiProperty({ description: 'Date the pieces were received, YYYY-MM-DD', example: '2027-04-02' })
  @IsCalendarDate()
  deliveredOn: string;
}

export class SupplyFilterQuery extends PageQuery {
  @ApiPropertyOptional({ example: '13' }) @IsOptional() @IsStateCode() stateCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsClave() clave?: string;
  @ApiPropertyOptional() @IsOptional() @IsRfc() supplierRfc?: string;
}

export class FillRateQuery extends SupplyFilterQuery {
  @ApiProperty({ enum: ['state', 'clave', 'supplier'], description: 'Grouping of the figures' })
  @IsIn(['state', 'clave', 'supplier'], { message: 'by must be state, clave or supplier' })
  by: 'state' | 'clave' | 'supplier';

  @ApiPropertyOptional({ description: 'Only orders due on or before this date, YYYY-MM-DD (a weekly report’s cut)' })
  @IsOptional()
  @IsCalendarDate()
  dueBy?: string;
}

export class ComplianceListQuery extends SupplyFilterQuery {
  @ApiPropertyOptional({ description: 'Orders due on or before this date count, YYYY-MM-DD (default today)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}
