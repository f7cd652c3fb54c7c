import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';
import { importsDir, UnitsConfig } from './units.config';

/** Settings of the sweep of orphaned catalogue uploads, validated at boot. */
export class OrphanedImportsConfig extends BaseConfig {
  /**
   * An upload in STORAGE_DIR/imports untouched for this many hours, that no queued or running job
   * refers to, is an orphan. Hours, not minutes: the file is written while it arrives and its job
   * is queued right after, so only a crash in between leaves one behind.
   */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of hours from 1 to 720' })
  @Min(1, { message: 'expected a whole number of hours from 1 to 720' })
  @Max(720, { message: 'expected a whole number of hours from 1 to 720' })
  UNITS_IMPORT_ORPHAN_HOURS = 6;
}

export const orphanedImportsConfigProvider: Provider = {
  provide: OrphanedImportsConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(OrphanedImportsConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/**
 * The files of `dir` last modified before `cutoffMs` whose names `isReferenced` does not claim,
 * deleted; returns their names. A missing directory holds none; a file that vanishes meanwhile
 * (its job finished and removed it) is skipped.
 */
export async function removeUnreferencedFiles(dir: string, cutoffMs: number, isReferenced: (names: string[]) => Promise<Set<string>>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const old: string[] = [];
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile() && info.mtimeMs < cutoffMs) old.push(name);
  }
  if (!old.length) return [];
  const referenced = await isReferenced(old);
  const orphans = old.filter((name) => !referenced.has(name));
  for (const name of orphans) await rm(join(dir, name), { force: true });
  return orphans;
}

const HOUR_MS = 3600_000;

/**
 * Deletes catalogue uploads that no job will ever read: the upload is stored before its import
 * job is queued, so a crash between the two leaves a file no job refers to. Runs at start and
 * every hour. A file counts as referenced while a queued or running job's request names it —
 * anywhere in the request, by its file name or its path, so the sweep does not depend on the
 * request's layout; a completed or failed job no longer reads its file.
 */
@Injectable()
export class OrphanedImportsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrphanedImportsSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: OrphanedImportsConfig,
    private readonly units: UnitsConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.sweep().catch((err: unknown) => this.logger.error({ err }, 'sweeping orphaned catalogue uploads failed'));
    run();
    this.timer = setInterval(run, HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns the names of the files removed. */
  async sweep(now = Date.now()): Promise<string[]> {
    const dir = importsDir(this.units);
    const removed = await removeUnreferencedFiles(dir, now - this.config.UNITS_IMPORT_ORPHAN_HOURS * HOUR_MS, (names) => this.referenced(names));
    if (removed.length) {
      this.logger.warn({ dir, files: removed }, `removed ${removed.length} catalogue uploads that no job refers to (left by a crash before their job was queued)`);
    }
    return removed;
  }

  /** The names among `names` that a queued or running job's request mentions. */
  private async referenced(names: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ value: string }[]>(
      `SELECT DISTINCT v #>> '{}' AS value
         FROM job, jsonb_path_query(request, 'strict $.**') AS v
        WHERE status IN ('queued', 'running') AND jsonb_typeof(v) = 'string'`,
    );
    const mentioned = rows.map((r) => r.value);
    return new Set(names.filter((name) => mentioned.some((value) => value === name || value.endsWith(`/${name}`))));
  }
}
