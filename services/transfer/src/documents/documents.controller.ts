import { finished } from 'node:stream';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, Role, Roles } from '@imb/auth';
import { ACCEPTED_TYPES_TEXT } from './document-type';
import { DocumentUploadInterceptor, FILE_FIELD } from './document-upload.interceptor';
import { DocumentsService, DocumentView } from './documents.service';
import { UploadDocumentDto } from './upload-document.dto';
import { SpooledUpload } from '@imb/platform';

/** Everyone who may change data uploads evidence; auditors only read. */
const UPLOADER_ROLES = [Role.FederalCoordinator, Role.StateCoordinator, Role.HrOfficer, Role.ProcurementOfficer, Role.DignificationOfficer];

const DOCUMENT_READ_REFUSAL =
  "DOCUMENT_OF_ANOTHER_STATE: the document is evidence of a state outside the caller's states (and the caller has no national role); " +
  'DOCUMENT_NATIONAL_ONLY: a document recorded before documents had a state, which only national roles read';

const documentId = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('The document id must be a UUID, as returned by the upload.'),
});

@ApiTags('documents')
@ApiBearerAuth()
@Controller('transfers/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Roles(...UPLOADER_ROLES)
  @UseInterceptors(DocumentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      "An evidence document of the state named in `stateCode`, which must be one of the caller's states (federal coordinators: any). " +
      "Only that state's readers (and the national roles) read it, and only that state's checklist items and actas may cite its SHA-256. " +
      'The same bytes may be uploaded for several states: each upload is its own document, the content is stored once.',
    schema: {
      type: 'object',
      required: [FILE_FIELD, 'stateCode', 'title', 'reference', 'date'],
      properties: {
        [FILE_FIELD]: { type: 'string', format: 'binary', description: `${ACCEPTED_TYPES_TEXT}, recognised by content` },
        stateCode: { type: 'string', pattern: '^(0[1-9]|[12][0-9]|3[0-2])$', example: '13', description: 'INEGI code of the state the document is evidence of' },
        title: { type: 'string', maxLength: 300 },
        reference: { type: 'string', maxLength: 200 },
        date: { type: 'string', format: 'date', description: 'date of the document, YYYY-MM-DD' },
      },
    },
  })
  @ApiCreatedResponse({ description: 'The document was stored (content kept once per SHA-256) and recorded for its state' })
  @ApiBadRequestResponse({ description: 'No file, or a missing or malformed field (stateCode, title, reference, date); nothing was stored' })
  @ApiForbiddenResponse({ description: "stateCode is not one of the caller's states (and the caller has no national role), or the caller is an auditor; nothing was stored" })
  @ApiPayloadTooLargeResponse({ description: 'The file exceeds DOCUMENT_MAX_BYTES; nothing was stored' })
  @ApiUnsupportedMediaTypeResponse({ description: 'The content is not an accepted kind, or the declared type or name says otherwise' })
  upload(
    @CurrentUser() user: Principal,
    @Body() body: UploadDocumentDto,
    @UploadedFile() file: SpooledUpload | undefined,
  ): Promise<DocumentView> {
    return this.documents.upload(user, body, file);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The document metadata: state, title, reference, date, SHA-256, size, media type, uploader' })
  @ApiForbiddenResponse({ description: DOCUMENT_READ_REFUSAL })
  @ApiNotFoundResponse({ description: 'No document has this id' })
  get(@CurrentUser() user: Principal, @Param('id', documentId) id: string): Promise<DocumentView> {
    return this.documents.get(user, id);
  }

  @Get(':id/content')
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream')
  @ApiOkResponse({ description: 'The file, checked against its recorded SHA-256 before it is sent (HEAD: the same checks, headers only)' })
  @ApiForbiddenResponse({ description: DOCUMENT_READ_REFUSAL })
  @ApiNotFoundResponse({ description: 'No document has this id' })
  @ApiInternalServerErrorResponse({ description: 'The stored file is missing or altered; it is not served' })
  async content(
    @CurrentUser() user: Principal,
    @Param('id', documentId) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { document, stream } = await this.documents.content(user, id);
    response.setHeader('ETag', `"${document.sha256}"`);
    response.setHeader('Repr-Digest', `sha-256=:${Buffer.from(document.sha256, 'hex').toString('base64')}:`);
    response.setHeader('Cache-Control', 'private, no-cache');
    // A client that goes away mid-download (or a HEAD request) leaves the stream unread: close the
    // file then, not when the garbage collector finds its descriptor.
    // (finished() also fires for a response already closed while the file was being checked.)
    finished(response, () => stream.destroy());
    return new StreamableFile(stream, {
      type: document.mediaType,
      length: document.size,
      disposition: contentDisposition(document.originalName),
    });
  }
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
