import { MigrationInterface } from 'typeorm';
import { Clave } from './clave.entity';
import { CreateClave1765001000000 } from './migrations/1765001000000-create-clave';

/** Tables of the catalogue feature (added to the procurement database by ../schema.ts). */
export const catalogueSchema = {
  entities: [Clave] as (new () => object)[],
  migrations: [CreateClave1765001000000] as (new () => MigrationInterface)[],
};
