import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UnitStatus } from '@imb/contracts';
import { JobContext, JobProcessorRegistry, JobRowError } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { missingDocumentMessage, StoredDocuments } from '../documents/stored-documents';
import type { BulkUnitDto } from './units.dto';
import { applyUnitStatusChanges, lockUnits, takenKeys } from './unit-status';
import { checkUnitStatusChange, UnitStatusChange } from './unit-lifecycle';

/** Job kind of a bulk status change. */
export const UNITS_BULK_STATUS = 'units.bulk-status';

/** Units per transaction: each chunk commits its units, audit records, events and checkpoint together. */
const CHUNK = 200;

export interface BulkStatusRequest {
  stateCode: string;
  toStatus: UnitStatus;
  reason?: string;
  units: BulkUnitDto[];
}

/** One unit's outcome: `ok` with its new status, or `error` with why nothing changed. */
export interface BulkOutcome {
  clues: string;
  outcome: 'ok' | 'error';
  status?: UnitStatus;
  message?: string;
}

export interface BulkStatusResult {
  toStatus: UnitStatus;
  total: number;
  ok: number;
  failed: number;
  outcomes: BulkOutcome[];
}

interface BulkCheckpoint {
  nextIndex: number;
  ok: number;
  /** Position in the request → why that unit was refused. */
  failures: Record<number, string>;
}

/**
 * The `units.bulk-status` job: moves many units of one state (e.g. hands over hundreds with
 * their actas) in chunks; each unit either moves, with its audit record and events, or is
 * refused with a message, and one refusal never blocks the others. Row errors name the unit's
 * position in the request (1-based) and its CLUES.
 */
@Injectable()
export class UnitsBulkStatusProcessor implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly documents: StoredDocuments,
  ) {}

  onModuleInit(): void {
    this.registry.register<BulkStatusRequest, BulkStatusResult, BulkCheckpoint>({
      kind: UNITS_BULK_STATUS,
      run: (ctx) => this.run(ctx),
    });
  }

  async run(ctx: JobContext<BulkStatusRequest, BulkCheckpoint>): Promise<BulkStatusResult> {
    const { stateCode, toStatus, reason, units } = ctx.request;
    let ok = ctx.checkpoint?.ok ?? 0;
    let failures = ctx.checkpoint?.failures ?? {};
    const firstIndexOf = new Map<string, number>();
    units.forEach((u, i) => {
      if (!firstIndexOf.has(u.clues)) firstIndexOf.set(u.clues, i);
    });

    for (let start = ctx.checkpoint?.nextIndex ?? 0; start < units.length; start += CHUNK) {
      const slice = units.slice(start, start + CHUNK);
      const done = await this.dataSource.transaction(async (m) => {
        const locked = await lockUnits(m, stateCode, slice.map((u) => u.clues));
        const byKey = new Map(locked.flatMap((u) => [[u.clues, u] as const, ...(u.previousClues ? [[u.previousClues, u] as const] : [])]));
        const chunkFailures: Record<number, string> = {};
        const moves: { index: number; unit: (typeof locked)[number]; change: UnitStatusChange }[] = [];
        const moved = new Set<string>();
        slice.forEach((entry, offset) => {
          const index = start + offset;
          const refuse = (message: string) => (chunkFailures[index] = message);
          const first = firstIndexOf.get(entry.clues)!;
          if (first !== index) return refuse(`${entry.clues} is listed twice (first at position ${first + 1}); it is moved once`);
          const unit = byKey.get(entry.clues);
          if (!unit) return refuse(`No unit ${entry.clues} in the inventory of state ${stateCode}`);
          if (moved.has(unit.id)) return refuse(`${entry.clues} is the same unit as another entry of this request (old and new key); it is moved once`);
          const change: UnitStatusChange = {
            toStatus,
            reason: entry.reason ?? reason,
            ownership: entry.ownership,
            regularizationStatus: entry.regularizationStatus,
            acta: entry.acta,
            newClues: entry.newClues,
          };
          try {
            checkUnitStatusChange(unit, change);
          } catch (err) {
            if (err instanceof DomainError) return refuse(err.message);
            throw err;
          }
          moved.add(unit.id);
          moves.push({ index, unit, change });
        });
        // An acta naming no stored document of this state, or a new key already held by a unit
        // (or claimed twice here), refuses that entry only.
        const missingDocuments = await this.documents.missing(
          m,
          stateCode,
          moves.flatMap((mv) => (mv.change.acta?.documentSha256 ? [mv.change.acta.documentSha256] : [])),
        );
        const taken = await takenKeys(m, moves.flatMap((mv) => (mv.change.newClues ? [mv.change.newClues] : [])));
        const claimed = new Set<string>();
        const applied = moves.filter((mv) => {
          const document = mv.change.acta?.documentSha256;
          const why = document ? missingDocuments.get(document) : undefined;
          if (document && why) {
            chunkFailures[mv.index] = missingDocumentMessage(stateCode, document, why, 'acta.documentSha256');
            return false;
          }
          const key = mv.change.newClues;
          if (!key) return true;
          const holder = taken.get(key);
          const problem = holder
            ? `${key} is already the key of unit ${holder}`
            : claimed.has(key)
              ? `${key} is claimed by another entry of this request`
              : null;
          claimed.add(key);
          if (problem) chunkFailures[mv.index] = problem;
          return !problem;
        });
        await applyUnitStatusChanges(m, applied);
        const errors: JobRowError[] = Object.entries(chunkFailures).map(([index, message]) => ({
          row: Number(index) + 1,
          field: 'clues',
          message,
        }));
        if (errors.length) await ctx.addErrors(errors, { manager: m });
        const next = { nextIndex: start + slice.length, ok: ok + applied.length, failures: { ...failures, ...chunkFailures } };
        await ctx.saveCheckpoint(next, { manager: m });
        return next;
      });
      // After commit: progress is written on another connection, and the chunk held the job row.
      await ctx.progress(done.nextIndex, units.length);
      ok = done.ok;
      failures = done.failures;
    }

    const outcomes: BulkOutcome[] = units.map((u, i) =>
      failures[i] !== undefined ? { clues: u.clues, outcome: 'error', message: failures[i] } : { clues: u.clues, outcome: 'ok', status: toStatus },
    );
    return { toStatus, total: units.length, ok, failed: units.length - ok, outcomes };
  }
}
