import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@imb/platform';
import { DOCUMENT_STORAGE, DocumentStorage } from './document-storage';

/**
 * Why a SHA-256 given as evidence of a state is refused: no document has it, documents have it
 * but none of them is the state's (another state's, or one recorded before documents had a
 * state), or the state's document has lost its content.
 */
export type MissingDocument = 'not-uploaded' | 'other-state' | 'content-missing';

/**
 * Answers whether a SHA-256 given as evidence of a state (checklist items, handover actas) names
 * a document uploaded for that state — recorded in `document` with that state *and* with its
 * content in the document store — so no record ever points at a file nobody can produce, nor at
 * another state's evidence. Reads in the caller's transaction.
 */
@Injectable()
export class StoredDocuments {
  private readonly logger = new Logger(StoredDocuments.name);

  constructor(@Inject(DOCUMENT_STORAGE) private readonly storage: DocumentStorage) {}

  /** Each of `sha256s` that names no stored document of the state `stateCode`, with why. */
  async missing(m: EntityManager, stateCode: string, sha256s: readonly string[]): Promise<Map<string, MissingDocument>> {
    const wanted = [...new Set(sha256s)];
    const missing = new Map<string, MissingDocument>();
    if (!wanted.length) return missing;
    const rows = await m.query<{ sha256: string; own: boolean }[]>(
      `SELECT sha256, coalesce(bool_or(state_code = $2), false) AS own FROM document WHERE sha256 = ANY($1::char(64)[]) GROUP BY sha256`,
      [wanted, stateCode],
    );
    const recorded = new Map(rows.map((r) => [r.sha256, r.own]));
    for (const sha256 of wanted) {
      const own = recorded.get(sha256);
      if (own === undefined) missing.set(sha256, 'not-uploaded');
      else if (!own) missing.set(sha256, 'other-state');
      else if (!(await this.storage.exists(sha256))) {
        this.logger.error({ sha256 }, `INTEGRITY FAILURE: document ${sha256} is recorded but its content is missing from the document store`);
        missing.set(sha256, 'content-missing');
      }
    }
    return missing;
  }

  /**
   * Throws unless `sha256` names a stored document of the state `stateCode` (nothing written):
   * DOCUMENT_NOT_FOUND (400) when no document has it or its file is gone, DOCUMENT_OF_ANOTHER_STATE
   * (403) when the documents that have it are not the state's. `field` names where it was given.
   */
  async assertStored(m: EntityManager, stateCode: string, sha256: string, field: string): Promise<void> {
    const why = (await this.missing(m, stateCode, [sha256])).get(sha256);
    if (!why) return;
    const message = missingDocumentMessage(stateCode, sha256, why, field);
    if (why === 'other-state') throw new DomainError('DOCUMENT_OF_ANOTHER_STATE', message, 403, { field, sha256 });
    throw new DomainError('DOCUMENT_NOT_FOUND', message, 400, { field, sha256 });
  }
}

/**
 * What to tell the person who referred to a document that is not stored for the state. A document
 * of another state is not named (nor its state): the caller may not be allowed to read it.
 */
export function missingDocumentMessage(stateCode: string, sha256: string, why: MissingDocument, field: string): string {
  switch (why) {
    case 'not-uploaded':
      return `${field}: document ${sha256} not found: upload the document first (POST /api/transfers/documents, stateCode ${stateCode}), then refer to it by the SHA-256 the upload returns; nothing was changed`;
    case 'other-state':
      return `${field}: document ${sha256} was not uploaded for state ${stateCode}, and evidence of a state must be one of its own documents: upload the file for state ${stateCode} (POST /api/transfers/documents with stateCode ${stateCode}), then retry with the same SHA-256; nothing was changed`;
    case 'content-missing':
      return `${field}: document ${sha256} is recorded but its file is missing from the document store (the operators have been alerted); upload it again, then retry; nothing was changed`;
  }
}
