import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cluesStateCode, stateByCode, UnitStatus } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { StoredDocuments } from '../documents/stored-documents';
import type { ReceivedCatalogue } from './catalogue-upload.interceptor';
import { Unit } from './unit.entity';
import type { UnitStatusChange } from './unit-lifecycle';
import { applyUnitStatusChanges, lockUnits } from './unit-status';
import { BulkStatusRequest, UNITS_BULK_STATUS } from './units-bulk-status.processor';
import { type BulkUnitStatusDto, type ListUnitsQuery, UNITS_DEFAULT_PAGE_SIZE } from './units.dto';
import { UNITS_IMPORT, UnitsImportRequest } from './units-import.processor';

/** A unit as the API shows it. */
export interface UnitView {
  id: string;
  clues: string;
  previousClues: string | null;
  stateCode: string;
  name: string;
  status: UnitStatus;
  statusReason: string | null;
  institution: string;
  establishmentType: string | null;
  typology: string | null;
  careLevel: string | null;
  stratum: string | null;
  municipalityCode: string | null;
  localityCode: string | null;
  locality: string | null;
  latitude: number | null;
  longitude: number | null;
  operationStatus: string | null;
  ownership: string | null;
  regularizationStatus: string | null;
  acta: { number: string; date: string | null; documentSha256: string | null } | null;
  createdAt: Date;
  updatedAt: Date;
}

export function unitView(u: Unit): UnitView {
  return {
    id: u.id,
    clues: u.clues,
    previousClues: u.previousClues,
    stateCode: u.stateCode,
    name: u.name,
    status: u.status,
    statusReason: u.statusReason,
    institution: u.institution,
    establishmentType: u.establishmentType,
    typology: u.typology,
    careLevel: u.careLevel,
    stratum: u.stratum,
    municipalityCode: u.municipalityCode,
    localityCode: u.localityCode,
    locality: u.locality,
    latitude: u.latitude,
    longitude: u.longitude,
    operationStatus: u.operationStatus,
    ownership: u.ownership,
    regularizationStatus: u.regularizationStatus,
    acta: u.actaNumber ? { number: u.actaNumber, date: u.actaDate, documentSha256: u.actaDocumentSha256 } : null,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

function notFound(stateCode: string, key: string): DomainError {
  const owner = cluesStateCode(key);
  const hint = owner && owner !== stateCode ? ` (${key} is a key of ${stateByCode(owner)?.name} (${owner}))` : '';
  return new DomainError('UNIT_NOT_FOUND', `No unit ${key} in the inventory of ${stateByCode(stateCode)?.name} (${stateCode})${hint}`, 404);
}

/** Units of a state: listing, lifecycle moves, and the jobs that import catalogues and move units in bulk. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly documents: StoredDocuments,
  ) {}

  async list(stateCode: string, query: ListUnitsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? UNITS_DEFAULT_PAGE_SIZE;
    const [units, total] = await this.dataSource.getRepository(Unit).findAndCount({
      where: { stateCode, ...(query.status ? { status: query.status } : {}) },
      order: { clues: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: units.map(unitView), total, page, pageSize };
  }

  /** One unit by its current or previous CLUES. */
  async get(stateCode: string, key: string): Promise<UnitView> {
    const unit = await this.dataSource.getRepository(Unit).findOne({
      where: [
        { stateCode, clues: key },
        { stateCode, previousClues: key },
      ],
    });
    if (!unit) throw notFound(stateCode, key);
    return unitView(unit);
  }

  /** Moves one unit in its lifecycle: the unit, an audit record and its events in one transaction. */
  changeStatus(stateCode: string, key: string, change: UnitStatusChange): Promise<UnitView> {
    return this.dataSource.transaction(async (m) => {
      const [unit] = await lockUnits(m, stateCode, [key]);
      if (!unit) throw notFound(stateCode, key);
      if (change.acta?.documentSha256) await this.documents.assertStored(m, stateCode, change.acta.documentSha256, 'acta.documentSha256');
      const [changed] = await applyUnitStatusChanges(m, [{ unit, change }]);
      return unitView(changed);
    });
  }

  /** Queues the import of a received catalogue; the job owns the stored file from now on. */
  async requestImport(stateCode: string | null, file: ReceivedCatalogue, dryRun: boolean): Promise<{ jobId: string }> {
    const request: UnitsImportRequest = {
      stateCode,
      dryRun,
      file: { name: file.originalname.slice(0, 255), stored: file.filename, format: file.format, size: file.size, sha256: file.sha256 },
    };
    return { jobId: await this.jobs.enqueue(UNITS_IMPORT, request, { stateCode }) };
  }

  /** Queues a bulk status change of units of one state. */
  async requestBulkStatus(stateCode: string, body: BulkUnitStatusDto): Promise<{ jobId: string }> {
    const request: BulkStatusRequest = { stateCode, toStatus: body.toStatus, reason: body.reason, units: body.units };
    return { jobId: await this.jobs.enqueue(UNITS_BULK_STATUS, request, { stateCode }) };
  }
}
