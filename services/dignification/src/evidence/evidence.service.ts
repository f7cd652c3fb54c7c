import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, Principal } from '@imb/auth';
import { EvidenceFlagged } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { ContentNotFoundError, ContentStorage, LocalDiskContentStorage } from '@imb/storage';
import { distanceKm } from './distance';
import { EvidenceConfig } from './evidence.config';
import type { RecordEvidenceDto } from './evidence.dto';
import { readPhotoMetadata, takenAt } from './exif';
import { ACCEPTED_PHOTOS_TEXT, describeUnaccepted, identifyPhoto, PHOTO_MEDIA_TYPES } from './photo-type';

/** Injection token of the content-addressed store holding the photos. */
export const PHOTO_STORAGE = Symbol('PHOTO_STORAGE');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 255;

/** The photo as received: its bytes and what the client called it. */
export interface ReceivedPhoto {
  buffer: Buffer;
  originalname: string;
  size: number;
}

interface EvidenceRow {
  id: string;
  allocation_id: string;
  kind: string;
  sha256: string;
  captured_at: Date;
  latitude: number;
  longitude: number;
  description: string | null;
  distance_km: number | null;
  flag_reason: string | null;
  recorded_by: string;
  recorded_at: Date;
  media_type: string | null;
  size: string | null;
  original_name: string | null;
  captured_at_source: string | null;
  location_source: string | null;
}

const view = (r: EvidenceRow) => ({
  id: r.id,
  allocationId: r.allocation_id,
  kind: r.kind,
  sha256: r.sha256,
  capturedAt: r.captured_at,
  latitude: r.latitude,
  longitude: r.longitude,
  /** Where the time and the place came from: the photo's EXIF, or the form (when the photo records none). */
  capturedAtSource: r.captured_at_source,
  locationSource: r.location_source,
  description: r.description,
  distanceKm: r.distance_km === null ? null : Math.round(r.distance_km * 10) / 10,
  flagged: r.flag_reason !== null,
  flagReason: r.flag_reason,
  // Records made before photos were uploaded have no stored file.
  photo: r.media_type
    ? { mediaType: r.media_type, size: Number(r.size), originalName: r.original_name, url: `/api/dignification/evidence/${r.id}/photo` }
    : null,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

interface AllocationRow {
  programme_id: string;
  clues: string;
  state_code: string;
  latitude: number | null;
  longitude: number | null;
}

/**
 * Before/after photos of the works. The photo itself is uploaded, checked to be a photo by its
 * bytes, stored content-addressed by the SHA-256 the service computes, and recorded with its
 * capture time and coordinates: **the photo's EXIF wins** (DateTimeOriginal, GPS), the form
 * fields are used only for what the photo does not record. A photo taken farther than
 * EVIDENCE_MAX_DISTANCE_KM from its unit is kept but flagged, with an `evidence-flagged` event;
 * the same photo sent twice for one allocation is recorded once.
 */
@Injectable()
export class EvidenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(EvidenceService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EvidenceConfig,
    @Inject(PHOTO_STORAGE) private readonly storage: ContentStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.storage instanceof LocalDiskContentStorage) {
      const removed = await this.storage.removeStaleTemporaryFiles();
      if (removed) this.logger.warn(`removed ${removed} files left by interrupted photo uploads`);
    }
  }

  async record(allocationId: string, body: RecordEvidenceDto, photo: ReceivedPhoto | undefined, principal: Principal) {
    checkId(allocationId);
    if (!photo) throw new DomainError('PHOTO_MISSING', "Attach the photo in the multipart field 'file'.", 400);
    const kind = identifyPhoto(photo.buffer);
    if (!kind) {
      throw new DomainError(
        'UNSUPPORTED_PHOTO_TYPE',
        `"${cleanFileName(photo.originalname)}" is ${describeUnaccepted(photo.buffer)}: send a photo (${ACCEPTED_PHOTOS_TEXT}); nothing was stored.`,
        415,
      );
    }
    const meta = readPhotoMetadata(photo.buffer, kind);
    const when = this.captureTime(takenAt(meta, this.config.EVIDENCE_DEFAULT_UTC_OFFSET), body.capturedAt);
    const where = captureLocation(meta, body);

    // Checked before storing, so a refused request leaves nothing behind; checked again under lock below.
    const [before] = await this.dataSource.query<AllocationRow[]>(`SELECT state_code FROM allocation WHERE id = $1`, [allocationId]);
    if (!before) throw allocationNotFound(allocationId);
    assertStateAccess(principal, before.state_code, 'write');

    // Content first: a failure after it leaves at most an unreferenced file, never a record without its photo.
    const { sha256, size } = await this.storage.put(photo.buffer);
    return this.dataSource.transaction(async (m) => {
      const a = await lockAllocation(m, allocationId);
      const [existing] = await m.query<EvidenceRow[]>(`SELECT * FROM evidence WHERE allocation_id = $1 AND sha256 = $2`, [allocationId, sha256]);
      if (existing) return { created: false, evidence: view(existing) };

      const km = a.latitude === null || a.longitude === null ? null : distanceKm({ latitude: a.latitude, longitude: a.longitude }, where);
      const flag = km === null ? 'UNIT_HAS_NO_COORDINATES' : km > this.config.EVIDENCE_MAX_DISTANCE_KM ? 'FAR_FROM_UNIT' : null;
      const id = randomUUID();
      const [row] = await m.query<EvidenceRow[]>(
        `INSERT INTO evidence (id, allocation_id, kind, sha256, captured_at, latitude, longitude, description, distance_km, flag_reason, recorded_by,
                               media_type, size, original_name, captured_at_source, location_source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
        [
          id,
          allocationId,
          body.kind,
          sha256,
          when.at,
          where.latitude,
          where.longitude,
          body.description ?? null,
          km,
          flag,
          principal.sub,
          PHOTO_MEDIA_TYPES[kind],
          size,
          cleanFileName(photo.originalname),
          when.source,
          where.source,
        ],
      );
      await recordAudit(m, { action: 'evidence.recorded', entity: 'Evidence', entityId: id, stateCode: a.state_code, after: view(row) });
      if (flag) {
        await publishEvent(m, EvidenceFlagged, {
          evidenceId: id,
          programmeId: a.programme_id,
          allocationId,
          clues: a.clues,
          stateCode: a.state_code,
          sha256,
          reason: flag,
          ...(km === null ? {} : { distanceKm: Math.round(km * 10) / 10 }),
          capturedAt: when.at.toISOString(),
        });
      }
      return { created: true, evidence: view(row) };
    });
  }

  async list(allocationId: string, principal: Principal) {
    await this.readableAllocation(allocationId, principal);
    const rows = await this.dataSource.query<EvidenceRow[]>(`SELECT * FROM evidence WHERE allocation_id = $1 ORDER BY captured_at, id`, [allocationId]);
    return { items: rows.map(view) };
  }

  /**
   * The stored photo of an evidence record, checked against its recorded SHA-256 before it is
   * sent (photos are small enough to check in memory): evidence is never served silently altered.
   */
  async photo(evidenceId: string, principal: Principal): Promise<{ content: Buffer; mediaType: string; sha256: string; name: string }> {
    checkId(evidenceId, 'evidence');
    const [row] = await this.dataSource.query<(EvidenceRow & { state_code: string })[]>(
      `SELECT e.*, a.state_code FROM evidence e JOIN allocation a ON a.id = e.allocation_id WHERE e.id = $1`,
      [evidenceId],
    );
    if (!row) throw new DomainError('EVIDENCE_NOT_FOUND', `No evidence ${evidenceId}`, 404);
    assertStateAccess(principal, row.state_code, 'read');
    if (!row.media_type) {
      throw new DomainError('NO_PHOTO_STORED', `Evidence ${evidenceId} was recorded from the photo's metadata only, before photos were uploaded: there is no file to send`, 404);
    }
    let content: Buffer;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.storage.open(row.sha256)) chunks.push(chunk as Buffer);
      content = Buffer.concat(chunks);
    } catch (err) {
      if (!(err instanceof ContentNotFoundError)) throw err;
      this.logger.error({ evidenceId, sha256: row.sha256 }, `INTEGRITY FAILURE: the stored photo of evidence ${evidenceId} is missing`);
      throw new DomainError('PHOTO_MISSING_FROM_STORAGE', `The stored photo of evidence ${evidenceId} is missing. The operators have been alerted; quote this evidence id.`, 500);
    }
    if (createHash('sha256').update(content).digest('hex') !== row.sha256) {
      this.logger.error({ evidenceId, sha256: row.sha256 }, `INTEGRITY FAILURE: the stored photo of evidence ${evidenceId} no longer matches its SHA-256`);
      throw new DomainError('PHOTO_INTEGRITY_FAILURE', `The stored photo of evidence ${evidenceId} does not match its recorded SHA-256, so it is not served. The operators have been alerted.`, 500);
    }
    return { content, mediaType: row.media_type, sha256: row.sha256, name: row.original_name ?? `${evidenceId}` };
  }

  private captureTime(fromExif: Date | undefined, fromForm: string | undefined): { at: Date; source: 'exif' | 'form' } {
    if (fromExif) return { at: fromExif, source: 'exif' };
    // A local time without an offset is read at the same default offset as an EXIF time.
    if (fromForm) return { at: new Date(/T[\d:.]+$/.test(fromForm) ? `${fromForm}${this.config.EVIDENCE_DEFAULT_UTC_OFFSET}` : fromForm), source: 'form' };
    throw new DomainError(
      'CAPTURE_TIME_REQUIRED',
      'The photo does not record when it was taken (no EXIF DateTimeOriginal): send the field capturedAt (ISO 8601, e.g. 2027-03-01T10:00:00-06:00).',
      400,
    );
  }

  private async readableAllocation(allocationId: string, principal: Principal): Promise<void> {
    checkId(allocationId);
    const [a] = await this.dataSource.query<{ state_code: string }[]>(`SELECT state_code FROM allocation WHERE id = $1`, [allocationId]);
    if (!a) throw allocationNotFound(allocationId);
    assertStateAccess(principal, a.state_code, 'read');
  }
}

function captureLocation(
  meta: { latitude?: number; longitude?: number },
  body: RecordEvidenceDto,
): { latitude: number; longitude: number; source: 'exif' | 'form' } {
  if (meta.latitude !== undefined && meta.longitude !== undefined) return { latitude: meta.latitude, longitude: meta.longitude, source: 'exif' };
  if (body.latitude !== undefined && body.longitude !== undefined) return { latitude: body.latitude, longitude: body.longitude, source: 'form' };
  throw new DomainError(
    'LOCATION_REQUIRED',
    body.latitude === undefined && body.longitude === undefined
      ? 'The photo does not record where it was taken (no EXIF GPS position): send the fields latitude and longitude.'
      : 'Send both latitude and longitude (the photo records no GPS position).',
    400,
  );
}

async function lockAllocation(m: EntityManager, allocationId: string): Promise<AllocationRow> {
  const [a] = await m.query<AllocationRow[]>(
    `SELECT a.programme_id, a.clues, a.state_code, u.latitude, u.longitude
       FROM allocation a JOIN eligible_unit u ON u.unit_id = a.unit_id WHERE a.id = $1 FOR UPDATE OF a`,
    [allocationId],
  );
  if (!a) throw allocationNotFound(allocationId);
  return a;
}

function checkId(id: string, what = 'allocation'): string {
  if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not an ${what} id (a UUID)`, 400);
  return id;
}

const allocationNotFound = (id: string) => new DomainError('ALLOCATION_NOT_FOUND', `No allocation ${id}`, 404);

/** The client's file name without path parts or control characters, for display and downloads. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME_LENGTH) || 'photo';
}
