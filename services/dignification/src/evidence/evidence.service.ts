import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, Principal } from '@imb/auth';
import { EvidenceFlagged } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { distanceKm } from './distance';
import { EvidenceConfig } from './evidence.config';
import type { RecordEvidenceDto } from './evidence.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
}

const view = (r: EvidenceRow) => ({
  id: r.id,
  allocationId: r.allocation_id,
  kind: r.kind,
  sha256: r.sha256,
  capturedAt: r.captured_at,
  latitude: r.latitude,
  longitude: r.longitude,
  description: r.description,
  distanceKm: r.distance_km === null ? null : Math.round(r.distance_km * 10) / 10,
  flagged: r.flag_reason !== null,
  flagReason: r.flag_reason,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

/**
 * Before/after photos of the works, recorded by their hash, capture time and coordinates. A photo
 * taken farther than EVIDENCE_MAX_DISTANCE_KM from its unit is kept but flagged, with an
 * `evidence-flagged` event; the same photo recorded twice is stored once.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EvidenceConfig,
  ) {}

  async record(allocationId: string, body: RecordEvidenceDto, principal: Principal) {
    if (!UUID.test(allocationId)) throw new DomainError('BAD_ID', `"${allocationId}" is not an allocation id (a UUID)`, 400);
    return this.dataSource.transaction(async (m) => {
      const [a] = await m.query<{ programme_id: string; clues: string; state_code: string; latitude: number | null; longitude: number | null }[]>(
        `SELECT a.programme_id, a.clues, a.state_code, u.latitude, u.longitude
           FROM allocation a JOIN eligible_unit u ON u.unit_id = a.unit_id WHERE a.id = $1 FOR UPDATE OF a`,
        [allocationId],
      );
      if (!a) throw new DomainError('ALLOCATION_NOT_FOUND', `No allocation ${allocationId}`, 404);
      assertStateAccess(principal, a.state_code, 'write');
      const [existing] = await m.query<EvidenceRow[]>(`SELECT * FROM evidence WHERE allocation_id = $1 AND sha256 = $2`, [allocationId, body.sha256]);
      if (existing) return { created: false, evidence: view(existing) };

      const km = a.latitude === null || a.longitude === null ? null : distanceKm({ latitude: a.latitude, longitude: a.longitude }, body);
      const flag = km === null ? 'UNIT_HAS_NO_COORDINATES' : km > this.config.EVIDENCE_MAX_DISTANCE_KM ? 'FAR_FROM_UNIT' : null;
      const id = randomUUID();
      const [row] = await m.query<EvidenceRow[]>(
        `INSERT INTO evidence (id, allocation_id, kind, sha256, captured_at, latitude, longitude, description, distance_km, flag_reason, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [id, allocationId, body.kind, body.sha256, body.capturedAt, body.latitude, body.longitude, body.description ?? null, km, flag, principal.sub],
      );
      await recordAudit(m, { action: 'evidence.recorded', entity: 'Evidence', entityId: id, stateCode: a.state_code, after: view(row) });
      if (flag) {
        await publishEvent(m, EvidenceFlagged, {
          evidenceId: id,
          programmeId: a.programme_id,
          allocationId,
          clues: a.clues,
          stateCode: a.state_code,
          sha256: body.sha256,
          reason: flag,
          ...(km === null ? {} : { distanceKm: Math.round(km * 10) / 10 }),
          capturedAt: new Date(body.capturedAt).toISOString(),
        });
      }
      return { created: true, evidence: view(row) };
    });
  }

  async list(allocationId: string, principal: Principal) {
    if (!UUID.test(allocationId)) throw new DomainError('BAD_ID', `"${allocationId}" is not an allocation id (a UUID)`, 400);
    const [a] = await this.dataSource.query<{ state_code: string }[]>(`SELECT state_code FROM allocation WHERE id = $1`, [allocationId]);
    if (!a) throw new DomainError('ALLOCATION_NOT_FOUND', `No allocation ${allocationId}`, 404);
    assertStateAccess(principal, a.state_code, 'read');
    const rows = await this.dataSource.query<EvidenceRow[]>(`SELECT * FROM evidence WHERE allocation_id = $1 ORDER BY captured_at, id`, [allocationId]);
    return { items: rows.map(view) };
  }
}
