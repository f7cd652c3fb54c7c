import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { Principal } from '@imb/auth';
import { DomainError } from '@imb/platform';
import { StageDefinition } from './stage-definition.entity';
import { StageDefinitionBody, definitionProblems, normalizeDefinition } from './stage-definition';

@Injectable()
export class StageDefinitionsService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<StageDefinition[]> {
    return this.dataSource.getRepository(StageDefinition).find({ order: { version: 'ASC' } });
  }

  async get(version: number, manager: EntityManager = this.dataSource.manager): Promise<StageDefinition> {
    const found = await manager.getRepository(StageDefinition).findOneBy({ version });
    if (!found) throw new DomainError('DEFINITION_NOT_FOUND', `There is no stage definition version ${version}`, 404);
    return found;
  }

  /** The newest version: the one a transfer starting now runs on. */
  async latest(manager: EntityManager): Promise<StageDefinition> {
    const [newest] = await manager.getRepository(StageDefinition).find({ order: { version: 'DESC' }, take: 1 });
    if (!newest) throw new Error('stage_definition is empty: the migration seeding version 1 has not run');
    return newest;
  }

  /** Adds version N+1; transfers already running keep theirs, transfers started from now on use it. */
  async create(principal: Principal, body: StageDefinitionBody, note: string | undefined): Promise<StageDefinition> {
    const problems = definitionProblems(body);
    if (problems.length) {
      throw new DomainError('DEFINITION_INVALID', `Invalid stage definition: ${problems.join('; ')}`, 400, { problems });
    }
    return this.dataSource.transaction(async (m) => {
      // Serializes creators so two concurrent requests get N+1 and N+2 instead of a key clash.
      await m.query(`LOCK TABLE stage_definition IN SHARE ROW EXCLUSIVE MODE`);
      const previous = await this.latest(m);
      const created = m.getRepository(StageDefinition).create({
        version: previous.version + 1,
        definition: normalizeDefinition(body),
        createdAt: new Date(),
        createdBy: principal.sub,
        note: note ?? null,
      });
      await m.getRepository(StageDefinition).insert(created);
      await recordAudit(m, {
        action: 'transfer.stage-definition-created',
        entity: 'StageDefinition',
        entityId: String(created.version),
        after: { version: created.version, definition: created.definition },
        reason: note,
        actor: principal.sub,
      });
      return created;
    });
  }
}
