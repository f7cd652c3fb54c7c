import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import type { Principal } from '@imb/auth';
import { PayrollTransferred, stateByCode } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { HrConfig } from './hr.config';
import { takeRosterImport } from './roster-import-budget';
import { ROSTER_IMPORT, RosterImportRequest } from './roster-import.processor';
import type { ReceivedRoster } from './roster-upload.interceptor';

/** State rosters: queues their imports and records the federalization of a state's payroll. */
@Injectable()
export class RostersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly config: HrConfig,
  ) {}

  /** Queues the import of a received roster, within `user`'s hourly budget of imports (429 beyond it). */
  async requestImport(
    user: Principal,
    stateCode: string,
    file: ReceivedRoster,
    options: { dryRun: boolean; endBaseContracts: boolean },
  ): Promise<{ jobId: string }> {
    const request: RosterImportRequest = { stateCode, ...options, file: { name: file.originalname.slice(0, 255), stored: file.filename, format: file.format, size: file.size } };
    return this.dataSource.transaction(async (m) => {
      await takeRosterImport(m, user, this.config.ROSTER_IMPORTS_PER_HOUR);
      return { jobId: await this.jobs.enqueue(ROSTER_IMPORT, request, { stateCode, manager: m }) };
    });
  }

  /** Records that the state's payroll moved to the federation and emits payroll-transferred, once per state. */
  transferPayroll(stateCode: string, effectiveDate: string) {
    return this.dataSource.transaction(async (m) => {
      const [{ count: workers }] = await m.query<{ count: number }[]>(`SELECT count(DISTINCT worker_id)::int AS count FROM contract WHERE state_code = $1`, [stateCode]);
      const inserted = await m.query<unknown[]>(
        `INSERT INTO payroll_transfer (state_code, effective_date, workers) VALUES ($1, $2, $3) ON CONFLICT (state_code) DO NOTHING RETURNING state_code`,
        [stateCode, effectiveDate, workers],
      );
      if (!inserted.length) {
        const [prior] = await m.query<{ effective_date: string }[]>(`SELECT effective_date::text FROM payroll_transfer WHERE state_code = $1`, [stateCode]);
        throw new DomainError('PAYROLL_ALREADY_TRANSFERRED', `The payroll of ${stateByCode(stateCode)?.name} (${stateCode}) was already federalized, effective ${prior.effective_date}`, 409);
      }
      const after = { stateCode, workers, effectiveDate };
      await recordAudit(m, { action: 'payroll.transferred', entity: 'StatePayroll', entityId: stateCode, stateCode, after, reason: `payroll federalized effective ${effectiveDate}` });
      await publishEvent(m, PayrollTransferred, after);
      return after;
    });
  }
}
