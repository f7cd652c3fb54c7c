import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { AUDIT_VERIFY_MAX_ANCHORS } from '@imb/contracts';

export class AuditAnchorDto {
  @ApiProperty({ example: '1042', description: 'sequence number of the record that was the head' })
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'seq must be a positive whole number of at most 19 digits' })
  seq: string;

  @ApiProperty({ description: 'its SHA-256, hex' })
  @Matches(/^[a-f0-9]{64}$/, { message: 'hash must be 64 lower-case hex digits' })
  hash: string;
}

/** Body of `POST /audit/verify`: the chain's heads kept outside the service's database. */
export class AuditVerifyBody {
  @ApiProperty({ type: [AuditAnchorDto], maxItems: AUDIT_VERIFY_MAX_ANCHORS })
  @IsArray()
  @ArrayMaxSize(AUDIT_VERIFY_MAX_ANCHORS)
  @ValidateNested({ each: true })
  @Type(() => AuditAnchorDto)
  anchors: AuditAnchorDto[];
}
