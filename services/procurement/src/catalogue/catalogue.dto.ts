import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CLAVE_GROUPS, IsClave } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';

export class CreateClaveDto {
  @ApiProperty({ example: '010.000.0104.00', description: 'GGG.GGG.EEEE.VV or GGG.GGG.EEEE' })
  @IsClave()
  clave: string;

  @ApiProperty({ example: 'PARACETAMOL. TABLETA. Cada tableta contiene: Paracetamol 500 mg. Envase con 10 tabletas.' })
  @IsString()
  @MinLength(3)
  @MaxLength(5000)
  description: string;

  @ApiPropertyOptional({ example: 'Envase' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  unit?: string;

  @ApiPropertyOptional({ example: '25301572', description: 'CUCoP key of the item' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  cucop?: string;
}

export class ListClavesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CLAVE_GROUPS })
  @IsOptional()
  @IsIn(CLAVE_GROUPS, { message: `group must be one of: ${CLAVE_GROUPS.join(', ')}` })
  group?: string;

  @ApiPropertyOptional({ description: 'Words of the description, or the start of the clave' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
