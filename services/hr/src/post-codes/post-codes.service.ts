import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { DomainError } from '@imb/platform';
import type { PostCode } from './post-code';
import type { CreatePostCodeDto } from './post-codes.dto';

/** The catalogue of post codes: seeded by migration, extended one code at a time. */
@Injectable()
export class PostCodesService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<PostCode[]> {
    return this.dataSource.query(`SELECT code, title, branch, category FROM post_code ORDER BY code`);
  }

  create(dto: CreatePostCodeDto): Promise<PostCode> {
    return this.dataSource.transaction(async (m) => {
      const inserted = await m.query<unknown[]>(
        `INSERT INTO post_code (code, title, branch, category) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING code`,
        [dto.code, dto.title, dto.branch, dto.category],
      );
      if (!inserted.length) throw new DomainError('POST_CODE_EXISTS', `Post code ${dto.code} is already in the catalogue`, 409);
      const after: PostCode = { code: dto.code, title: dto.title, branch: dto.branch, category: dto.category };
      await recordAudit(m, { action: 'post-code.created', entity: 'PostCode', entityId: dto.code, after, reason: 'catalogue extended' });
      return after;
    });
  }
}
