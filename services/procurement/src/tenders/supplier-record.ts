import { EntityManager } from 'typeorm';
import type { ComplianceWindow } from './compliance-window';
import type { ComplianceRecord } from './evaluate';

export interface SupplierRecord extends ComplianceRecord {
  supplierRfc: string;
  /** From this system's supply orders due in the window and their on-time deliveries. */
  system: ComplianceRecord;
  /** From the monthly figures imported for the time before the system. */
  imported: ComplianceRecord;
}

interface Row {
  supplier_rfc: string;
  sys_due: string;
  sys_on_time: string;
  hist_due: string;
  hist_on_time: string;
}

/**
 * The delivery record of suppliers in a window: pieces of their supply orders due in it (any
 * exercise) and how many of those arrived by the due date, plus the imported monthly history.
 */
export async function supplierRecords(m: EntityManager, rfcs: readonly string[], window: ComplianceWindow): Promise<Map<string, SupplierRecord>> {
  const rows = await m.query<Row[]>(
    `WITH sys AS (
       SELECT supplier_rfc, sum(quantity) AS due, sum(delivered_on_time) AS on_time FROM supply_order
        WHERE supplier_rfc = ANY($1) AND due_date >= $2 AND due_date < $3 GROUP BY supplier_rfc),
     hist AS (
       SELECT supplier_rfc, sum(pieces_due) AS due, sum(pieces_on_time) AS on_time FROM supplier_compliance_history
        WHERE supplier_rfc = ANY($1) AND month >= $2 AND month < $3 GROUP BY supplier_rfc)
     SELECT supplier_rfc, coalesce(sys.due, 0) AS sys_due, coalesce(sys.on_time, 0) AS sys_on_time,
            coalesce(hist.due, 0) AS hist_due, coalesce(hist.on_time, 0) AS hist_on_time
       FROM sys FULL JOIN hist USING (supplier_rfc)`,
    [rfcs, window.from, window.to],
  );
  return new Map(
    rows.map((r) => {
      const system = { piecesDue: Number(r.sys_due), piecesOnTime: Number(r.sys_on_time) };
      const imported = { piecesDue: Number(r.hist_due), piecesOnTime: Number(r.hist_on_time) };
      return [
        r.supplier_rfc,
        {
          supplierRfc: r.supplier_rfc,
          piecesDue: system.piecesDue + imported.piecesDue,
          piecesOnTime: system.piecesOnTime + imported.piecesOnTime,
          system,
          imported,
        },
      ];
    }),
  );
}
