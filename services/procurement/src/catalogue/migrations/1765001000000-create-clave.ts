import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClave1765001000000 implements MigrationInterface {
  name = 'CreateClave1765001000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clave (
        clave       text PRIMARY KEY,
        grp         char(3) NOT NULL,
        description text NOT NULL,
        unit        text,
        cucop       text
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clave`);
  }
}
