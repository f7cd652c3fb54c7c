import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { currentContext } from '@imb/contracts';
import { DomainError } from '@imb/platform';
import { loadTerms, requireExercise } from '../tenders/tender-terms';
import type { ListContractsQuery } from './contracts.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ContractRow {
  id: string;
  award_id: string;
  exercise_code: string;
  clave: string;
  supplier_rfc: string;
  min: string;
  max: string;
  unit_price: string;
  penalty_rate_per_day: string;
  penalty_cap_share: string;
  ordered: string;
  created_by: string;
  created_at: Date;
}

export const contractView = (r: ContractRow) => ({
  id: r.id,
  awardId: r.award_id,
  exerciseCode: r.exercise_code,
  clave: r.clave,
  supplierRfc: r.supplier_rfc,
  min: Number(r.min),
  max: Number(r.max),
  unitPrice: Number(r.unit_price),
  penaltyRatePerDay: Number(r.penalty_rate_per_day),
  penaltyCapShare: Number(r.penalty_cap_share),
  ordered: Number(r.ordered),
  available: Number(r.max) - Number(r.ordered),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/**
 * Open contracts (contratos abiertos): one per award, with the awarded MIN/MAX pieces and unit
 * price, and the exercise's penalty terms as they were when it was opened. Opening is idempotent:
 * awards that already have their contract are left alone. Awards of 0 pieces get no contract.
 */
@Injectable()
export class ContractsService {
  constructor(private readonly dataSource: DataSource) {}

  async open(code: string) {
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code);
      // Serialized with the tender evaluation, which must not change an award being contracted.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('procurement.tender-evaluation'), hashtext($1))`, [code]);
      const [evaluated] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tender_evaluation WHERE exercise_code = $1`, [code]);
      if (!evaluated.n) {
        throw new DomainError('NOT_EVALUATED', `The tender of ${code} has not been evaluated: POST /api/procurement/exercises/${code}/tender/evaluate first`, 409);
      }
      const terms = await loadTerms(m, code);
      const actor = currentContext()?.actor ?? 'unknown';
      const created = await m.query<ContractRow[]>(
        `INSERT INTO contract (id, award_id, exercise_code, clave, supplier_rfc, min, max, unit_price, penalty_rate_per_day, penalty_cap_share, created_by)
         SELECT gen_random_uuid(), a.id, a.exercise_code, a.clave, a.supplier_rfc, a.min, a.max, a.unit_price, $2, $3, $4
           FROM award a LEFT JOIN contract c ON c.award_id = a.id
          WHERE a.exercise_code = $1 AND c.id IS NULL AND a.max > 0
          ORDER BY a.clave, a.rank
         RETURNING *`,
        [code, terms.penaltyRatePerDay, terms.penaltyCapShare, actor],
      );
      const [{ n: open }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM contract WHERE exercise_code = $1`, [code]);
      if (created.length) {
        await recordAudit(m, {
          action: 'contracts.opened',
          entity: 'Contracts',
          entityId: code,
          after: {
            penaltyRatePerDay: terms.penaltyRatePerDay,
            penaltyCapShare: terms.penaltyCapShare,
            contracts: created.slice(0, 1000).map((c) => ({ id: c.id, clave: c.clave, supplierRfc: c.supplier_rfc, min: Number(c.min), max: Number(c.max), unitPrice: Number(c.unit_price) })),
          },
        });
      }
      return { exerciseCode: code, opened: created.length, alreadyOpen: open - created.length, total: open };
    });
  }

  async list(code: string, q: ListContractsQuery) {
    await requireExercise(this.dataSource.manager, code);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `exercise_code = $1 AND ($2::text IS NULL OR clave = $2) AND ($3::text IS NULL OR supplier_rfc = $3)`;
    const params = [code, q.clave ?? null, q.supplierRfc ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM contract WHERE ${where}`, params);
    const rows = await this.dataSource.query<ContractRow[]>(`SELECT * FROM contract WHERE ${where} ORDER BY clave, supplier_rfc LIMIT $4 OFFSET $5`, [
      ...params,
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items: rows.map(contractView), total, page, pageSize };
  }

  async get(id: string) {
    if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not a contract id (a UUID)`, 400);
    const [row] = await this.dataSource.query<ContractRow[]>(`SELECT * FROM contract WHERE id = $1`, [id]);
    if (!row) throw new DomainError('CONTRACT_NOT_FOUND', `No contract ${id}`, 404);
    return contractView(row);
  }
}
