import { Module } from '@nestjs/common';
import { LocalDiskContentStorage } from '@imb/storage';
import { EvidenceConfig, evidenceConfigProvider, photosRoot } from './evidence.config';
import { EvidenceController, EvidencePhotoController } from './evidence.controller';
import { EvidenceService, PHOTO_STORAGE } from './evidence.service';
import { PhotoUploadInterceptor } from './photo-upload.interceptor';

/**
 * Before/after photos of the works: uploaded, stored content-addressed (@imb/storage, local disk
 * under STORAGE_DIR/evidence by default; an object store can be provided under PHOTO_STORAGE
 * instead), checked against the unit's location.
 */
@Module({
  controllers: [EvidenceController, EvidencePhotoController],
  providers: [
    evidenceConfigProvider,
    { provide: PHOTO_STORAGE, inject: [EvidenceConfig], useFactory: (config: EvidenceConfig) => new LocalDiskContentStorage(photosRoot(config)) },
    EvidenceService,
    PhotoUploadInterceptor,
  ],
})
export class EvidenceModule {}
