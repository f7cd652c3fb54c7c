// The local-disk store lives in @imb/storage (shared with dignification's photo evidence).
export { contentPath, LocalDiskContentStorage as LocalDiskDocumentStorage, removeFilesOlderThan } from '@imb/storage';
