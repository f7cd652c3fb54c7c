import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { DomainError } from '@imb/platform';
import { Clave } from './clave.entity';
import type { CreateClaveDto, ListClavesQuery } from './catalogue.dto';

const view = (c: Clave) => ({ clave: c.clave, group: c.group, description: c.description, unit: c.unit, cucop: c.cucop });

/** The catalogue of claves: filled by demand imports, extended by hand. */
@Injectable()
export class CatalogueService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListClavesQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const qb = this.dataSource.getRepository(Clave).createQueryBuilder('c');
    if (query.group) qb.andWhere('c.grp = :group', { group: query.group });
    if (query.q?.trim()) qb.andWhere('(c.clave LIKE :prefix OR c.description ILIKE :words)', { prefix: `${query.q.trim()}%`, words: `%${query.q.trim()}%` });
    const [items, total] = await qb.orderBy('c.clave').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: items.map(view), total, page, pageSize };
  }

  async get(clave: string) {
    const found = await this.dataSource.getRepository(Clave).findOneBy({ clave });
    if (!found) throw new DomainError('CLAVE_NOT_FOUND', `Clave ${clave} is not in the catalogue`, 404);
    return view(found);
  }

  /** Adds a clave by hand (one the annexes do not carry yet). */
  create(body: CreateClaveDto) {
    return this.dataSource.transaction(async (m) => {
      const row = { clave: body.clave, grp: body.clave.slice(0, 3), description: body.description.trim(), unit: body.unit?.trim() || null, cucop: body.cucop?.trim() || null };
      const inserted = await m.query<unknown[]>(
        `INSERT INTO clave (clave, grp, description, unit, cucop) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (clave) DO NOTHING RETURNING clave`,
        [row.clave, row.grp, row.description, row.unit, row.cucop],
      );
      if (!inserted.length) throw new DomainError('CLAVE_EXISTS', `Clave ${body.clave} is already in the catalogue`, 409);
      await recordAudit(m, { action: 'clave.created', entity: 'Clave', entityId: row.clave, after: row });
      return { clave: row.clave, group: row.grp, description: row.description, unit: row.unit, cucop: row.cucop };
    });
  }
}
