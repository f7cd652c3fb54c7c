import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { JobContext, JobProcessor, JobProcessorRegistry, UnrecoverableError } from '@imb/jobs';
import { DEFAULT_XLSX_LIMITS, XlsxLimitsConfig } from '@imb/platform';
import { DemandConfig, importsDir } from './demand.config';
import { DemandImportProcessor, DemandImportRequest } from './demand-import.processor';

const ANNEX = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'demanda-2027-2028.xlsx');

/** The uploaded annex stays until its job is done for good: an attempt cut short reads it again. */
describe('DemandImportProcessor and the uploaded file', () => {
  let dir: string;
  let config: DemandConfig;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demand-import-'));
    config = Object.assign(new DemandConfig(), { STORAGE_DIR: dir });
    await mkdir(importsDir(config), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  type Registered = JobProcessor<DemandImportRequest>;
  function processorWith(dataSource: Partial<DataSource>): Registered {
    let registered!: Registered;
    const registry = { register: (p: Registered) => (registered = p) } as unknown as JobProcessorRegistry;
    new DemandImportProcessor(dataSource as DataSource, registry, config, DEFAULT_XLSX_LIMITS as XlsxLimitsConfig).onModuleInit();
    return registered;
  }
  const ctx = (stored: string) =>
    ({
      request: { exerciseCode: '2027-2028', dryRun: false, file: { name: 'annex.xlsx', stored, size: 1, sha256: 'x' } },
      progress: async () => undefined,
      heartbeat: async () => undefined,
      addErrors: async () => undefined,
    }) as unknown as JobContext<DemandImportRequest>;
  const exists = (path: string) => stat(path).then(() => true, () => false);

  it('keeps the file when the database is away for a moment, so the retry can read it', async () => {
    const stored = 'annex-1.xlsx';
    await copyFile(ANNEX, join(importsDir(config), stored));
    const away = Object.assign(new Error('the database system is not yet accepting connections'), { code: '57P03' });
    const processor = processorWith({ transaction: () => Promise.reject(away) });
    await expect(processor.run(ctx(stored))).rejects.toBe(away);
    expect(await exists(join(importsDir(config), stored))).toBe(true);
  });

  it('fails for good on a file that is not a workbook, and removes the file once the job is finished', async () => {
    const stored = 'annex-2.xlsx';
    await writeFile(join(importsDir(config), stored), 'not a zip');
    const processor = processorWith({});
    await expect(processor.run(ctx(stored))).rejects.toBeInstanceOf(UnrecoverableError);
    // The runner calls `finished` once the outcome is recorded by the attempt that owns the job.
    await processor.finished!(ctx(stored));
    expect(await exists(join(importsDir(config), stored))).toBe(false);
  });
});
