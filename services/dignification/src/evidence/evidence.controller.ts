import { Body, Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { RecordEvidenceDto } from './evidence.dto';
import { EvidenceService, ReceivedPhoto } from './evidence.service';
import { ACCEPTED_PHOTOS_TEXT } from './photo-type';
import { PHOTO_FIELD, PhotoUploadInterceptor } from './photo-upload.interceptor';

@ApiTags('dignification evidence')
@ApiBearerAuth()
@Controller('dignification/allocations')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post(':id/evidence')
  @Roles('federal-coordinator', 'dignification-officer')
  @UseInterceptors(PhotoUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [PHOTO_FIELD, 'kind'],
      properties: {
        [PHOTO_FIELD]: { type: 'string', format: 'binary', description: `The photo: ${ACCEPTED_PHOTOS_TEXT}, recognised by content` },
        kind: { type: 'string', enum: ['BEFORE', 'AFTER'] },
        capturedAt: { type: 'string', format: 'date-time', description: 'Only used when the photo has no EXIF DateTimeOriginal' },
        latitude: { type: 'number', description: 'Only used when the photo has no EXIF GPS position' },
        longitude: { type: 'number', description: 'Only used when the photo has no EXIF GPS position' },
        description: { type: 'string', maxLength: 500 },
      },
    },
  })
  @ApiCreatedResponse({
    description: 'The photo’s record (201; 200 when the same photo was already recorded), its SHA-256 computed by the service, flagged when taken far from the unit',
  })
  @ApiPayloadTooLargeResponse({ description: 'Larger than EVIDENCE_MAX_BYTES; nothing was stored' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a JPEG, PNG, WebP or HEIC photo (by content), or not multipart' })
  async record(
    @Param('id') id: string,
    @Body() body: RecordEvidenceDto,
    @UploadedFile() photo: ReceivedPhoto | undefined,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, evidence } = await this.evidence.record(id, body, photo, user);
    res.status(created ? 201 : 200);
    return evidence;
  }

  @Get(':id/evidence')
  @ApiOkResponse({ description: 'The photos recorded for the allocation’s works' })
  list(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.evidence.list(id, user);
  }
}

/** Photos by their evidence id (the `photo.url` of an evidence record). */
@ApiTags('dignification evidence')
@ApiBearerAuth()
@Controller('dignification/evidence')
export class EvidencePhotoController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get(':id/photo')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/heic')
  @ApiOkResponse({ description: 'The photo file, checked against its recorded SHA-256 before it is sent' })
  async photo(@Param('id') id: string, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const photo = await this.evidence.photo(id, user);
    res.setHeader('ETag', `"${photo.sha256}"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    const fallback = photo.name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
    return new StreamableFile(photo.content, {
      type: photo.mediaType,
      length: photo.content.length,
      disposition: `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(photo.name)}`,
    });
  }
}
