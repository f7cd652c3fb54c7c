import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  MessageEvent,
  NotFoundException,
  Param,
  Query,
  Sse,
  ValidationPipe,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, type Principal } from '@imb/auth';
import { distinctUntilChanged, exhaustMap, map, Observable, takeWhile, timer } from 'rxjs';
import { canReadJob, jobReadScope } from '../job-access';
import { parseJobId } from '../job-id';
import type { JobRowError } from '../job-processor';
import { JOBS_OPTIONS, type ResolvedJobsOptions } from '../jobs.options';
import { JobsService, JobSummary, JobView } from '../jobs.service';
import type { Page } from '../pagination';
import { ListJobsQuery, PageQuery } from './jobs.dto';

/** How often the events stream reads the job record. */
const EVENTS_POLL_MS = 500;

// Query strings arrive as text; this pipe converts and checks them whatever the global pipe does.
const queryPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

/**
 * Job status, progress and row errors of this service's jobs. Authentication comes from the
 * service's global guard; what each caller may read is decided here (job-access.ts): only the
 * service's `jobReaders` read its jobs, a national one every job, the others the jobs of their
 * states, and national jobs those holding one of the `nationalJobReaders` roles. Listings leave
 * the others out; a single one answers 404 exactly as a job that does not exist, so a refusal
 * does not tell that the job exists, nor its states (job ids are not secrets: they show in
 * listings, links and logs).
 */
@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    @Inject(JOBS_OPTIONS) private readonly options: ResolvedJobsOptions,
  ) {}

  /** Jobs the caller may read, newest first. */
  @Get()
  list(@Query(queryPipe) query: ListJobsQuery, @CurrentUser() user?: Principal): Promise<Page<JobSummary>> {
    return this.jobs.list({ ...query, scope: jobReadScope(user, this.options) });
  }

  /** One job with its request, result and first row errors. */
  @Get(':id')
  async get(@Param('id') id: string, @CurrentUser() user?: Principal): Promise<JobView> {
    this.checkId(id);
    this.readable(user, id, await this.jobs.summary(id));
    return this.found(id, await this.jobs.get(id));
  }

  /** A page of a job's row errors, in row order. */
  @Get(':id/errors')
  async errors(
    @Param('id') id: string,
    @Query(queryPipe) query: PageQuery,
    @CurrentUser() user?: Principal,
  ): Promise<Page<JobRowError>> {
    this.checkId(id);
    this.readable(user, id, await this.jobs.summary(id));
    return this.found(id, await this.jobs.errors(id, query));
  }

  /**
   * Server-sent events: the job's summary now and whenever it changes (read every 500 ms); the
   * stream ends after the event showing the job completed or failed.
   */
  @Sse(':id/events')
  async events(@Param('id') id: string, @CurrentUser() user?: Principal): Promise<Observable<MessageEvent>> {
    this.checkId(id);
    this.readable(user, id, await this.jobs.summary(id));
    return timer(0, EVENTS_POLL_MS).pipe(
      exhaustMap(() => this.jobs.summary(id)),
      takeWhile((job): job is JobSummary => job !== null),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((job) => job.status !== 'completed' && job.status !== 'failed', true),
      map((job) => ({ type: 'progress', data: job })),
    );
  }

  /** Passes when the job exists and the caller may read it; 404 as for no such job otherwise. */
  private readable(user: Principal | undefined, id: string, job: JobSummary | null): void {
    if (!job || !canReadJob(jobReadScope(user, this.options), job.stateCodes)) throw this.noSuchJob(id);
  }

  private checkId(id: string): void {
    if (!parseJobId(id)) {
      throw new BadRequestException(
        `"${id.slice(0, 80)}" is not a job id: a job id is the owning service and a UUID, e.g. transfer-3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e`,
      );
    }
  }

  private found<T>(id: string, value: T | null): T {
    if (value === null) throw this.noSuchJob(id);
    return value;
  }

  /** The one answer for a job this service does not have and for one the caller may not read. */
  private noSuchJob(id: string): NotFoundException {
    const owner = parseJobId(id)?.service;
    return new NotFoundException(
      owner !== this.jobs.service
        ? `Job ${id} belongs to the ${owner} service; ask that service (through the gateway) for it`
        : `There is no job ${id}`,
    );
  }
}
