import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Post,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { IsStateCode } from '@imb/contracts';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Public } from './auth.decorators';
import { DevIssuerDisabledError, InvalidClaimsError } from './auth.errors';
import { MAX_SUBJECT_LENGTH } from './claims';
import { DevTokenIssuer, type DevTokenRequest, MAX_DEV_TOKEN_TTL_SECONDS } from './dev-token-issuer';
import { ALL_ROLES, type Role } from './roles';

/** Body of POST /auth/dev-token. */
export class DevTokenRequestDto implements DevTokenRequest {
  @ApiProperty({ example: 'ana', description: 'Subject: who the token speaks for.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT_LENGTH)
  sub: string;

  @ApiProperty({ enum: ALL_ROLES, isArray: true, example: ['state-coordinator'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ALL_ROLES.length)
  @IsIn(ALL_ROLES, { each: true, message: `each value in roles must be one of: ${ALL_ROLES.join(', ')}` })
  roles: Role[];

  @ApiProperty({
    type: [String],
    example: ['13'],
    description: "INEGI state codes '01'..'32' the holder may act on.",
  })
  @IsArray()
  @ArrayMaxSize(32)
  @IsStateCode({ each: true })
  states: string[];

  @ApiPropertyOptional({ example: 3600, minimum: 1, maximum: MAX_DEV_TOKEN_TTL_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DEV_TOKEN_TTL_SECONDS)
  ttlSeconds?: number;
}

/** Response of POST /auth/dev-token. */
export class DevTokenResponseDto {
  @ApiProperty({ description: "Send as 'Authorization: Bearer <accessToken>'." })
  accessToken: string;
}

/**
 * POST /auth/dev-token: signs a dev token for any subject, roles and states. Anyone who can
 * reach it can become anyone, so only the gateway mounts it and only with AUTH_DEV_ISSUER=true
 * (AuthModule.forRoot({ devTokenRoute: true }) checks the flag).
 */
@ApiTags('auth')
@Public()
@Controller('auth')
export class DevTokenController {
  constructor(private readonly issuer: DevTokenIssuer) {}

  @Post('dev-token')
  @HttpCode(HttpStatus.OK)
  // Validates even when the host app forgot its global ValidationPipe: this route mints identities.
  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
  @ApiOperation({ summary: 'Issue a development access token (only when AUTH_DEV_ISSUER=true).' })
  @ApiOkResponse({ type: DevTokenResponseDto })
  async issue(@Body() body: DevTokenRequestDto): Promise<DevTokenResponseDto> {
    try {
      return { accessToken: await this.issuer.sign(body) };
    } catch (error) {
      if (error instanceof DevIssuerDisabledError) {
        throw new NotFoundException(error.message);
      }
      if (error instanceof InvalidClaimsError) {
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }
}
