import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { DOCUMENT_STORAGE } from './document-storage';
import { DocumentsConfig, documentsConfigProvider, storageRoot } from './documents.config';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { LocalDiskDocumentStorage } from './local-disk-storage';
import { StoredDocuments } from './stored-documents';
import { UploadSpool } from '@imb/platform';

/**
 * Evidence documents: upload (size limit, type by content), content-addressed storage, metadata,
 * download with an integrity check. DocumentsService, DOCUMENT_STORAGE and StoredDocuments (is
 * this SHA-256 a stored document?) are exported for the features that reference documents
 * (checklist evidence, handover actas).
 */
@Module({
  controllers: [DocumentsController],
  providers: [
    documentsConfigProvider,
    {
      provide: DOCUMENT_STORAGE,
      inject: [DocumentsConfig],
      useFactory: (config: DocumentsConfig) => new LocalDiskDocumentStorage(join(storageRoot(config), 'documents')),
    },
    {
      provide: UploadSpool,
      inject: [DocumentsConfig],
      useFactory: (config: DocumentsConfig) => new UploadSpool(join(storageRoot(config), 'incoming')),
    },
    DocumentsService,
    StoredDocuments,
  ],
  exports: [DocumentsService, DOCUMENT_STORAGE, StoredDocuments],
})
export class DocumentsModule {}
