import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, canAccessState, effectiveRoles, NATIONAL_ROLES, Principal } from '@imb/auth';
import { DomainError, SpooledUpload, UploadSpool } from '@imb/platform';
import { ContentNotFoundError, DOCUMENT_STORAGE, DocumentStorage } from './document-storage';
import { checkDeclaredType, identifyDocument, KINDS, ReadAt } from './document-type';
import { EvidenceDocument } from './evidence-document.entity';
import { LocalDiskDocumentStorage } from './local-disk-storage';
import { UploadDocumentDto } from './upload-document.dto';

/** A document as the API shows it. */
export interface DocumentView {
  id: string;
  /** The state the document is evidence of; null for a document recorded before documents had one (national roles only). */
  stateCode: string | null;
  sha256: string;
  size: number;
  mediaType: string;
  title: string;
  reference: string;
  date: string;
  originalName: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** A document's content, checked against its recorded hash, ready to send. */
export interface DocumentContent {
  document: EvidenceDocument;
  stream: Readable;
}

const MAX_NAME_LENGTH = 255;

@Injectable()
export class DocumentsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DOCUMENT_STORAGE) private readonly storage: DocumentStorage,
    @Inject(UploadSpool) private readonly spool: UploadSpool,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const spooled = await this.spool.removeStaleFiles();
    const partial = this.storage instanceof LocalDiskDocumentStorage ? await this.storage.removeStaleTemporaryFiles() : 0;
    if (spooled + partial > 0) this.logger.warn(`removed ${spooled + partial} files left by interrupted uploads`);
  }

  /**
   * Checks that the caller may write to the state the document is for, then the spooled upload
   * (not empty, an accepted kind by content, declared type and name consistent with it), stores
   * its content once per hash, then records the document and its audit record in one
   * transaction. The content is stored first: a failure in between leaves at most an
   * unreferenced blob, never a document without content.
   */
  async upload(principal: Principal, metadata: UploadDocumentDto, file: SpooledUpload | undefined): Promise<DocumentView> {
    // Before anything is stored: the state comes in the multipart body, which the guard cannot see.
    assertStateAccess(principal, metadata.stateCode, 'write');
    if (!file) {
      throw new DomainError('DOCUMENT_FILE_MISSING', "Attach the document in the multipart field 'file'.", 400);
    }
    if (file.size === 0) throw new DomainError('DOCUMENT_EMPTY', 'The file is empty; nothing was stored.', 400);
    const kind = await identifyDocument(file.size, spoolReader(file.path));
    checkDeclaredType(kind, file.mimetype, file.originalname);

    if (!(await this.storage.exists(file.sha256))) {
      const stored = await this.storage.put(createReadStream(file.path));
      if (stored.sha256 !== file.sha256 || stored.size !== file.size) {
        throw new Error(`spooled upload ${file.path} changed while being stored (${file.sha256} → ${stored.sha256})`);
      }
    }

    const document = new EvidenceDocument();
    document.id = randomUUID();
    document.sha256 = file.sha256;
    document.stateCode = metadata.stateCode;
    document.title = metadata.title;
    document.reference = metadata.reference;
    document.documentDate = metadata.date;
    document.mediaType = KINDS[kind].mediaType;
    document.size = file.size;
    document.originalName = cleanFileName(file.originalname);
    document.uploadedBy = principal.sub;
    document.uploadedAt = new Date();
    const view = toView(document);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(EvidenceDocument).insert(document);
      const { id: _id, uploadedAt: _at, ...after } = view;
      await recordAudit(m, {
        action: 'document.uploaded',
        entity: 'Document',
        entityId: document.id,
        stateCode: document.stateCode,
        after,
        actor: principal.sub,
      });
    });
    return view;
  }

  /** The document's metadata, if the caller may read the state it is evidence of. */
  async get(principal: Principal, id: string): Promise<DocumentView> {
    return toView(await this.findReadable(principal, id));
  }

  /**
   * The document's content after checking that the stored bytes still hash to the recorded
   * SHA-256 and size. The check reads the content once before sending it: once the first byte
   * is sent the status can no longer say that the file is damaged, and evidence is never served
   * silently altered. Missing or altered content is logged as an error and answered with a 500.
   * Only for a caller who may read the document's state (checked before the content is touched).
   */
  async content(principal: Principal, id: string): Promise<DocumentContent> {
    const document = await this.findReadable(principal, id);
    const actual = await this.measure(document);
    if (actual.sha256 !== document.sha256 || actual.size !== document.size) {
      this.logger.error(
        { documentId: document.id, expectedSha256: document.sha256, actualSha256: actual.sha256, expectedSize: document.size, actualSize: actual.size },
        `INTEGRITY FAILURE: the stored content of document ${document.id} no longer matches its SHA-256 ${document.sha256}; it was not served`,
      );
      throw new DomainError(
        'DOCUMENT_INTEGRITY_FAILURE',
        `The stored file of document ${document.id} does not match its recorded SHA-256, so it is not served. The operators have been alerted; quote this document id.`,
        500,
      );
    }
    return { document, stream: await this.storage.open(document.sha256) };
  }

  private async findReadable(principal: Principal, id: string): Promise<EvidenceDocument> {
    const document = await this.dataSource.getRepository(EvidenceDocument).findOneBy({ id });
    if (!document) throw new DomainError('DOCUMENT_NOT_FOUND', `No document has the id ${id}.`, 404);
    const refusal = documentReadRefusal(principal, document);
    if (refusal) throw new DomainError(refusal.code, refusal.message, 403, { documentId: id });
    return document;
  }

  private async measure(document: EvidenceDocument): Promise<{ sha256: string; size: number }> {
    let stream: Readable;
    try {
      stream = await this.storage.open(document.sha256);
    } catch (err) {
      if (!(err instanceof ContentNotFoundError)) throw err;
      this.logger.error(
        { documentId: document.id, sha256: document.sha256 },
        `INTEGRITY FAILURE: the stored content of document ${document.id} (SHA-256 ${document.sha256}) is missing`,
      );
      throw new DomainError(
        'DOCUMENT_CONTENT_MISSING',
        `The stored file of document ${document.id} is missing. The operators have been alerted; quote this document id.`,
        500,
      );
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  }
}

/**
 * Null when the principal may read the document, otherwise why not (the code and message of a
 * 403): a document is read within its state's scope, and one recorded before documents had a
 * state only by the national roles.
 */
export function documentReadRefusal(
  principal: Principal,
  document: Pick<EvidenceDocument, 'id' | 'stateCode'>,
): { code: 'DOCUMENT_OF_ANOTHER_STATE' | 'DOCUMENT_NATIONAL_ONLY'; message: string } | null {
  if (document.stateCode === null) {
    if (effectiveRoles(principal, 'read').some((role) => NATIONAL_ROLES.includes(role))) return null;
    return {
      code: 'DOCUMENT_NATIONAL_ONLY',
      message: `Document ${document.id} was uploaded before documents were recorded per state and no single state's evidence cites it, so only national roles (${NATIONAL_ROLES.join(', ')}) may read it; upload it again for your state if you need it.`,
    };
  }
  if (canAccessState(principal, document.stateCode, 'read')) return null;
  return {
    code: 'DOCUMENT_OF_ANOTHER_STATE',
    message: `You may not read document ${document.id}: it is evidence of state ${document.stateCode} and your token grants [${principal.states.join(', ') || 'none'}] and no national role.`,
  };
}

function toView(d: EvidenceDocument): DocumentView {
  return {
    id: d.id,
    stateCode: d.stateCode,
    sha256: d.sha256,
    size: d.size,
    mediaType: d.mediaType,
    title: d.title,
    reference: d.reference,
    date: d.documentDate,
    originalName: d.originalName,
    uploadedBy: d.uploadedBy,
    uploadedAt: d.uploadedAt.toISOString(),
  };
}

/** The client's file name without path parts or control characters, for display and downloads. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME_LENGTH);
  return clean || 'document';
}

function spoolReader(path: string): ReadAt {
  return async (offset, length) => {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  };
}
