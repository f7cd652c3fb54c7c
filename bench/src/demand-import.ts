import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { ServiceStack, waitFor } from '@imb/testing';
import { BenchResult } from './report';

const ANNEX = join(__dirname, '..', '..', '..', 'shared', 'data', 'demanda-2027-2028.xlsx');
const EXERCISE = '2027-2028';

/** The lines the import wrote, as COPY text, to replay them with a raw COPY. */
async function dumpLines(db: Client): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    db.query(copyTo(`COPY (SELECT exercise_code, clave, institution, state_code, min, max FROM demand_line) TO STDOUT`)),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

/** Raw COPY of the same lines into a table shaped like demand_line (same primary key). */
async function rawCopy(db: Client, data: Buffer): Promise<number> {
  await db.query(`DROP TABLE IF EXISTS bench_copy`);
  await db.query(`CREATE TABLE bench_copy (LIKE demand_line INCLUDING ALL)`);
  const start = process.hrtime.bigint();
  await pipeline(Readable.from([data]), db.query(copyFrom(`COPY bench_copy FROM STDIN`)));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function benchDemandImport(): Promise<BenchResult> {
  const stack = new ServiceStack('bench-procurement-import');
  try {
    const service = await stack.start('procurement', { LOG_LEVEL: 'warn' });
    const db = await stack.connect('procurement');
    const token = await new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' })).sign({ sub: 'bench', roles: ['procurement-officer'], states: [] });
    const url = service.url;
    const get = async (path: string) => (await (await fetch(`${url}/api/${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    await fetch(`${url}/api/procurement/exercises`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: EXERCISE, name: 'Bench' }),
    });

    const file = readFileSync(ANNEX);
    const start = process.hrtime.bigint();
    const form = new FormData();
    form.append('file', new Blob([file]), 'demanda-2027-2028.xlsx');
    const res = await fetch(`${url}/api/procurement/exercises/${EXERCISE}/demand/imports?dryRun=false`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const { jobId } = (await res.json()) as { jobId: string };
    let job: Record<string, unknown> = {};
    await waitFor(
      async () => {
        job = await get(`jobs/${jobId}`);
        if (job.status === 'failed') throw new Error(`import failed: ${String(job.failureReason)}`);
        return job.status === 'completed';
      },
      { timeoutMs: 300000, intervalMs: 20, what: 'the demand import' },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const lines = (job.result as { inserted: number }).inserted;
    const ran = (Date.parse(String(job.finishedAt)) - Date.parse(String(job.startedAt))) / 1000;

    const data = await dumpLines(db);
    const copySeconds = await rawCopy(db, data);
    const value = lines / seconds;
    const baseline = lines / copySeconds;
    return {
      name: `procurement demand import of demanda-2027-2028.xlsx (${lines} lines; HTTP upload → BullMQ → xlsx stream → checks → COPY into demand_line (first import) + claves + audit) vs raw COPY of the same lines`,
      value,
      unit: 'lines/s',
      baseline,
      ratio: value / baseline,
      target: '≥ 0.5 × raw COPY',
      met: value / baseline >= 0.5,
      notes: `import ${seconds.toFixed(2)} s incl. upload and polling (the job itself ${ran.toFixed(2)} s); raw COPY ${copySeconds.toFixed(2)} s`,
    };
  } finally {
    await stack.stop();
  }
}
