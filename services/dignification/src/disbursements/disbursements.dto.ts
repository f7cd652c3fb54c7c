import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class DisburseDto {
  @ApiProperty({ description: 'Amount of this tranche, MXN', example: 200000 })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'amount must be an amount in MXN with at most 2 decimals' })
  @Min(0.01)
  @Max(1e10)
  amount: number;

  @ApiProperty({ description: 'Bank or payment reference', example: 'SPEI-2027-000123' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference: string;

  @ApiProperty({ description: 'Chosen by the caller; repeating a request with the same key pays once and returns the first result' })
  @Matches(/^[A-Za-z0-9._:-]{8,100}$/, { message: 'idempotencyKey must be 8 to 100 letters, digits or . _ : -' })
  idempotencyKey: string;
}
