import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { RunningService, ServiceStack, waitForJob, withLogs, xlsxBombs } from '@imb/testing';

/**
 * Zip bombs and their kin uploaded to every route that reads an .xlsx, on real service processes:
 * each is refused, by a failed job for the imports that run as jobs and by a 413 for the files read
 * within the request, naming the limit it crossed, within seconds, while each service's peak RSS
 * stays bounded; the job queue then runs a real catalogue as before. The services run at the
 * default limits but for the whole-file one, lowered to 64 MiB so that the many-parts bomb is a
 * 4 MB upload (the readers' unit tests hold it to its default).
 */
const DATA = join(__dirname, '..', '..', '..', 'shared', 'data');
const ENV = { XLSX_MAX_INFLATED_BYTES: String(64 * 1024 * 1024) };
/** Generous bounds, far from what a bounded reader takes (about a second), far below what an unbounded one did. */
const WITHIN_MS = 60_000;
const PEAK_RSS_MB = 400;

interface Bomb {
  name: string;
  file: Buffer;
  /** The limit it crosses in a job, and within a request when that differs. */
  limit: string;
  inRequest?: string;
}

const BOMBS: Bomb[] = [
  { name: '500 MiB of zeros (520 kB)', file: xlsxBombs.zeros(), limit: 'XLSX_MAX_COMPRESSION_RATIO' },
  { name: 'a first row that never closes', file: xlsxBombs.unterminatedRow(), limit: 'XLSX_MAX_ELEMENT_BYTES' },
  { name: 'elements nested without end', file: xlsxBombs.deepNesting(), limit: 'XLSX_MAX_ELEMENT_BYTES' },
  { name: '1.2 million shared strings', file: xlsxBombs.sharedStrings(), limit: 'XLSX_MAX_SHARED_STRINGS' },
  {
    name: 'five parts of 40 MiB',
    file: xlsxBombs.manyParts(),
    limit: 'XLSX_MAX_INFLATED_BYTES',
    inRequest: 'XLSX_MAX_REQUEST_INFLATED_BYTES',
  },
];

/** The peak resident memory of a service's process so far, in MB. */
function peakRssMb(service: RunningService): number {
  const status = readFileSync(`/proc/${service.process.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
}

describe('xlsx bombs on every route that reads a workbook: refused quickly, naming the limit, memory bounded', () => {
  const stack = new ServiceStack('e2e-xlsx-bombs');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let transfer: RunningService;
  let hr: RunningService;
  let procurement: RunningService;
  let federal: string;
  let officer: string;
  let campaign: string;
  const EXERCISE = '2027-2028';

  const send = async (service: RunningService, path: string, bearer: string, file: Buffer | string, name?: string) => {
    const init: RequestInit = { method: 'POST', headers: { authorization: `Bearer ${bearer}` } };
    if (name) {
      const form = new FormData();
      form.append('file', new Blob([file]), name);
      init.body = form;
    } else {
      init.body = file;
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const res = await fetch(`${service.url}/api/${path}`, init);
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    [transfer, hr, procurement] = await Promise.all([
      stack.start('transfer', ENV),
      stack.start('hr', ENV),
      stack.start('procurement', ENV),
    ]);
    [federal, officer] = await Promise.all([
      issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] }),
      issuer.sign({ sub: 'olga', roles: ['procurement-officer'], states: ['13'] }),
    ]);
    const created = await send(hr, 'hr/formalization/campaigns', federal, JSON.stringify({ name: 'Bombas', states: ['18'], cutoffDate: '2026-01-31' }));
    expect(created.status).toBe(201);
    campaign = created.body.id;
    expect((await send(procurement, 'procurement/exercises', officer, JSON.stringify({ code: EXERCISE, name: 'Bombas' }))).status).toBe(201);
  });

  afterAll(() => stack.stop());

  /** Uploads every bomb to a route whose import runs as a job: 202, then the job fails naming the limit. */
  const refusedByJob = async (service: RunningService, path: string, bearer: string) => {
    const before = peakRssMb(service);
    for (const bomb of BOMBS) {
      const started = Date.now();
      const res = await send(service, path, bearer, bomb.file, 'bomba.xlsx');
      expect(res).toMatchObject({ status: 202, body: { jobId: expect.any(String) } });
      const job = await withLogs(service, waitForJob<any>(service, res.body.jobId, bearer, WITHIN_MS));
      const took = Date.now() - started;
      expect({ bomb: bomb.name, status: job.status, failureReason: job.failureReason }).toEqual({
        bomb: bomb.name,
        status: 'failed',
        failureReason: expect.stringMatching(new RegExp(`^XLSX_TOO_LARGE: .+ \\(limit ${bomb.limit}\\)`)),
      });
      expect(took).toBeLessThan(WITHIN_MS);
      console.log(`${service.name} ${path}: ${bomb.name} (${bomb.file.length} bytes) → ${job.failureReason} [${took} ms]`);
    }
    const peak = peakRssMb(service);
    console.log(`${service.name} ${path}: peak RSS ${before} MB before the bombs, ${peak} MB after`);
    expect(peak).toBeLessThan(PEAK_RSS_MB);
  };

  /** Uploads every bomb to a route that reads the file within the request: 413 naming the limit, nothing stored. */
  const refusedInRequest = async (service: RunningService, path: string, bearer: string) => {
    const before = peakRssMb(service);
    for (const bomb of BOMBS) {
      const started = Date.now();
      const res = await send(service, path, bearer, bomb.file, 'bomba.xlsx');
      const took = Date.now() - started;
      const limit = bomb.inRequest ?? bomb.limit;
      expect({ bomb: bomb.name, status: res.status, body: res.body }).toEqual({
        bomb: bomb.name,
        status: 413,
        body: expect.objectContaining({ code: 'XLSX_TOO_LARGE', message: expect.stringMatching(new RegExp(`\\(limit ${limit}\\)\\. Nothing was (stored|imported)\\.$`)) }),
      });
      expect(took).toBeLessThan(WITHIN_MS);
      console.log(`${service.name} ${path}: ${bomb.name} → ${res.status} ${res.body.message} [${took} ms]`);
    }
    const peak = peakRssMb(service);
    console.log(`${service.name} ${path}: peak RSS ${before} MB before the bombs, ${peak} MB after`);
    expect(peak).toBeLessThan(PEAK_RSS_MB);
  };

  it('transfer: units import (CLUES catalogue, every sheet), then a real catalogue imports as before', async () => {
    await refusedByJob(transfer, 'transfers/units/imports?dryRun=true', federal);
    const res = await send(transfer, 'transfers/units/imports?dryRun=true', federal, readFileSync(join(DATA, 'clues-hidalgo-202501-ssa.xlsx')), 'clues.xlsx');
    expect(res.status).toBe(202);
    const job = await withLogs(transfer, waitForJob<any>(transfer, res.body.jobId, federal, WITHIN_MS));
    expect(job).toMatchObject({ status: 'completed', result: expect.objectContaining({ rows: 511 }) });
  });

  it('hr: roster import', () => refusedByJob(hr, 'hr/rosters/imports?stateCode=18&dryRun=true', federal));

  it('hr: reference lists of a formalization campaign', () => refusedInRequest(hr, `hr/formalization/campaigns/${campaign}/lists/barred`, federal));

  it('procurement: demand annex import', () => refusedByJob(procurement, `procurement/exercises/${EXERCISE}/demand/imports?dryRun=true`, officer));

  it('procurement: bid files of the tender', () => refusedInRequest(procurement, `procurement/exercises/${EXERCISE}/tender/bids/imports?dryRun=true`, officer));
});
