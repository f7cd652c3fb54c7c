import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@imb/platform';
import { DOCUMENT_STORAGE, DocumentStorage } from './document-storage';

/** Why a SHA-256 given as evidence is refused. */
export type MissingDocument = 'not-uploaded' | 'content-missing';

/**
 * Answers whether a SHA-256 given as evidence (checklist items, handover actas) names a document
 * that was uploaded — recorded in `document` *and* with its content in the document store — so
 * no record ever points at a file nobody can produce. Reads in the caller's transaction.
 */
@Injectable()
export class StoredDocuments {
  private readonly logger = new Logger(StoredDocuments.name);

  constructor(@Inject(DOCUMENT_STORAGE) private readonly storage: DocumentStorage) {}

  /** Each of `sha256s` that names no stored document, with why. */
  async missing(m: EntityManager, sha256s: readonly string[]): Promise<Map<string, MissingDocument>> {
    const wanted = [...new Set(sha256s)];
    const missing = new Map<string, MissingDocument>();
    if (!wanted.length) return missing;
    const rows = await m.query<{ sha256: string }[]>(`SELECT DISTINCT sha256 FROM document WHERE sha256 = ANY($1::char(64)[])`, [wanted]);
    const recorded = new Set(rows.map((r) => r.sha256));
    for (const sha256 of wanted) {
      if (!recorded.has(sha256)) missing.set(sha256, 'not-uploaded');
      else if (!(await this.storage.exists(sha256))) {
        this.logger.error({ sha256 }, `INTEGRITY FAILURE: document ${sha256} is recorded but its content is missing from the document store`);
        missing.set(sha256, 'content-missing');
      }
    }
    return missing;
  }

  /** Throws DOCUMENT_NOT_FOUND (400, nothing written) when `sha256` names no stored document; `field` names where it was given. */
  async assertStored(m: EntityManager, sha256: string, field: string): Promise<void> {
    const why = (await this.missing(m, [sha256])).get(sha256);
    if (why) throw new DomainError('DOCUMENT_NOT_FOUND', missingDocumentMessage(sha256, why, field), 400, { field, sha256 });
  }
}

/** What to tell the person who referred to a document that is not stored. */
export function missingDocumentMessage(sha256: string, why: MissingDocument, field: string): string {
  return why === 'not-uploaded'
    ? `${field}: document ${sha256} not found: upload the document first (POST /api/transfers/documents), then refer to it by the SHA-256 the upload returns; nothing was changed`
    : `${field}: document ${sha256} is recorded but its file is missing from the document store (the operators have been alerted); upload it again, then retry; nothing was changed`;
}
