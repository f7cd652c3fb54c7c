import { ApiProperty } from '@nestjs/swagger';
import { ALL_ROLES, Role } from '@imb/auth';

/** `GET /api/me`: who the bearer token says the caller is. */
export class MeView {
  @ApiProperty({ description: 'the token’s subject' }) sub: string;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ type: [String], description: "INEGI state codes '01'..'32' the caller may act on" })
  states: string[];
}
