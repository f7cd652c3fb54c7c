import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@imb/platform';
import { createDatabase, dropDatabase, testPg } from '@imb/testing';
import { transferSchema } from '../schema';
import { OrphanedImportsConfig, OrphanedImportsSweeper } from './orphaned-imports';
import type { UnitsConfig } from './units.config';

/**
 * Catalogue uploads left behind by a crash between the upload and the queueing of its import
 * job: the sweep removes old files no live job refers to, against real job records in PostgreSQL.
 */
describe('orphaned catalogue uploads (real PostgreSQL, local disk)', () => {
  let dataSource: DataSource;
  let database: string;
  let storage: string;
  let imports: string;
  const HOUR = 3600_000;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createDatabase('transfer_orphans');
    dataSource = new DataSource(buildDataSourceOptions({ url: `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`, ...transferSchema }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    storage = await mkdtemp(join(tmpdir(), 'imb-orphans-'));
    imports = join(storage, 'imports');
    await mkdir(imports);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (database) await dropDatabase(database);
    await rm(storage, { recursive: true, force: true });
  });

  async function upload(name: string, ageHours: number) {
    const path = join(imports, name);
    await writeFile(path, 'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD\n');
    const at = new Date(Date.now() - ageHours * HOUR);
    await utimes(path, at, at);
  }
  async function job(status: string, request: object) {
    await dataSource.query(`INSERT INTO job (id, kind, status, request, correlation_id) VALUES ($1, 'units.import', $2, $3, $4)`, [
      `transfer-${randomUUID()}`,
      status,
      JSON.stringify(request),
      randomUUID(),
    ]);
  }
  const sweeper = (hours = 6) =>
    new OrphanedImportsSweeper(dataSource, { UNITS_IMPORT_ORPHAN_HOURS: hours } as OrphanedImportsConfig, { STORAGE_DIR: storage } as UnitsConfig);

  it('removes old uploads no queued or running job refers to, and keeps the rest', async () => {
    const crashed = `${randomUUID()}.csv`; // uploaded, then the process died before its job was queued
    const waiting = `${randomUUID()}.xlsx`; // its job is queued (e.g. Redis was down for hours)
    const reading = `${randomUUID()}.csv`; // its job is running and names it by path
    const finished = `${randomUUID()}.csv`; // its job completed, yet the file stayed (killed before removing it)
    const arriving = `${randomUUID()}.csv`; // uploaded minutes ago, no job yet
    for (const name of [crashed, waiting, reading, finished]) await upload(name, 30);
    await upload(arriving, 0.1);
    await job('queued', { stateCode: '13', dryRun: false, file: { name: 'CLUES_HGO.xlsx', stored: waiting, format: 'xlsx' } });
    await job('running', { stateCode: null, source: { path: join(imports, reading) }, options: [{ note: 'national' }] });
    await job('completed', { stateCode: '13', file: { stored: finished } });
    await job('failed', { stateCode: '13', file: { stored: crashed } });

    const removed = await sweeper().sweep();
    expect(removed.sort()).toEqual([crashed, finished].sort());
    expect((await readdir(imports)).sort()).toEqual([waiting, reading, arriving].sort());

    // Nothing left to remove; a shorter threshold still spares the live jobs' files and the fresh upload.
    expect(await sweeper().sweep()).toEqual([]);
    expect(await sweeper(1).sweep()).toEqual([]);
    // Once its job is done, a file is fair game after the threshold.
    await dataSource.query(`UPDATE job SET status = 'completed'`);
    expect((await sweeper().sweep()).sort()).toEqual([waiting, reading].sort());
    expect(await readdir(imports)).toEqual([arriving]);
  });

  it('is harmless when nothing was ever uploaded', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'imb-orphans-empty-'));
    try {
      const none = new OrphanedImportsSweeper(dataSource, { UNITS_IMPORT_ORPHAN_HOURS: 6 } as OrphanedImportsConfig, { STORAGE_DIR: empty } as UnitsConfig);
      expect(await none.sweep()).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
