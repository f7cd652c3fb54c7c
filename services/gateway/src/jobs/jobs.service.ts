import { Injectable, NotFoundException } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  firstItems,
  mergedDepth,
  mergeNewestFirst,
  Page,
  SourcePage,
} from '../merging/merge-pages';
import { askAll, queryString, UnavailableService } from '../upstreams/fan-out';
import { UpstreamClient } from '../upstreams/upstream-client';
import { isServiceName, SERVICE_NAMES, ServiceName } from '../upstreams/upstreams';
import { parseJobId } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import type { ListJobsQuery } from './jobs.dto';

/** A job as the services list it (only the fields the merge reads are typed). */
export interface JobSummary {
  id: string;
  createdAt: string;
  status: string;
  [field: string]: unknown;
}

/** A merged listing and the services it could not include. */
export type MergedPage<T> = Page<T> & { unavailable: UnavailableService[] };

/** Jobs across the services: the merged listing, and which service owns a job id. */
@Injectable()
export class JobsService {
  constructor(private readonly client: UpstreamClient) {}

  /** Every service's jobs, newest first, paginated over the merged order. */
  async list(query: ListJobsQuery, authorization: string | undefined): Promise<MergedPage<JobSummary>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const depth = mergedDepth(page, pageSize);
    const { answers, unavailable } = await askAll(SERVICE_NAMES, (service) =>
      firstItems(
        (p, ps) =>
          this.client.getOk<SourcePage<JobSummary>>(
            service,
            `/api/jobs${queryString({ kind: query.kind, status: query.status, page: p, pageSize: ps })}`,
            authorization,
          ),
        depth,
      ),
    );
    const merged = mergeNewestFirst(
      answers.map((a) => a.value),
      (job) => Date.parse(job.createdAt),
      page,
      pageSize,
    );
    return { ...merged, unavailable };
  }

  /** The service that owns a job id (`transfer-…`); 400 for what is not a job id, 404 for an unknown service. */
  ownerOf(id: string): ServiceName {
    const parsed = parseJobId(id);
    if (!parsed) {
      throw new DomainError(
        'BAD_JOB_ID',
        `"${id.slice(0, 80)}" is not a job id: a job id is the owning service and a UUID, e.g. transfer-3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e`,
        400,
      );
    }
    if (!isServiceName(parsed.service)) {
      throw new NotFoundException(
        `There is no job ${id}: no service is called "${parsed.service}" (known: ${SERVICE_NAMES.join(', ')})`,
      );
    }
    return parsed.service;
  }
}
