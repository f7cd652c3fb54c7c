import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested, validateSync, ValidationError } from 'class-validator';
import { IsStateCode } from '@imb/contracts';
import { DomainError } from '@imb/platform';
import type { ColumnMapping } from './annex-layout';

/** A column: letters ("DV") or a 1-based number. */
type Column = string | number;

class MappedInstitutionDto {
  @IsString() @MaxLength(300) name: string;
  @IsDefined() min: Column;
  @IsDefined() max: Column;
  @IsOptional() @IsStateCode() stateCode?: string;
}

class MappedTotalsDto {
  @IsDefined() min: Column;
  @IsDefined() max: Column;
}

/** The `mapping` field of a demand import: where the data is, for a layout detection does not understand. */
export class ColumnMappingDto implements ColumnMapping {
  @IsInt() @Min(1) @Max(1000) headerRow: number;
  @IsDefined() clave: Column;
  @IsOptional() description?: Column;
  @IsOptional() cucop?: Column;
  @IsOptional() unit?: Column;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => MappedInstitutionDto) institutions: MappedInstitutionDto[];
  @IsOptional() @ValidateNested() @Type(() => MappedTotalsDto) totals?: MappedTotalsDto;
}

function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${path}${m}`),
    ...messages(e.children ?? [], `${path}${e.property}.`),
  ]);
}

/** Parses and validates the raw `mapping` field; 400 with what is wrong. */
export function parseMapping(raw: string | undefined): ColumnMapping | null {
  if (raw === undefined || raw.trim() === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new DomainError('INVALID_MAPPING', `The mapping field is not JSON: ${(err as Error).message}. Nothing was imported.`, 400);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new DomainError('INVALID_MAPPING', 'The mapping must be a JSON object: { headerRow, clave, description?, institutions: [{ name, min, max }], totals? }', 400);
  const dto = plainToInstance(ColumnMappingDto, json);
  const problems = messages(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length) throw new DomainError('INVALID_MAPPING', `The mapping is not valid: ${problems.join('; ')}. Nothing was imported.`, 400);
  return dto;
}
