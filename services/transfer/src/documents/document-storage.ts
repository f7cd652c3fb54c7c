import type { ContentStorage } from '@imb/storage';

export { ContentNotFoundError, isSha256 } from '@imb/storage';
export type { StoredContent } from '@imb/storage';

/**
 * Where evidence documents live: the platform's content-addressed store (@imb/storage), local
 * disk by default; an object store can replace it by providing another implementation under
 * {@link DOCUMENT_STORAGE}.
 */
export type DocumentStorage = ContentStorage;

/** Injection token of the {@link DocumentStorage} the documents feature uses. */
export const DOCUMENT_STORAGE = Symbol('DOCUMENT_STORAGE');
