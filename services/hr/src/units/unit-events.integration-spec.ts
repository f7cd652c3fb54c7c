import { randomUUID } from 'node:crypto';
import { createTestDataSource } from '@imb/testing';
import { hrSchema } from '../schema';
import { applyUnitInventoried, applyUnitReRegistered } from './unit-events.consumer';

describe('units read model (transfer unit events)', () => {
  let ctx: Awaited<ReturnType<typeof createTestDataSource>>;
  beforeAll(async () => {
    ctx = await createTestDataSource({ name: 'hr_units', ...hrSchema });
  });
  afterAll(() => ctx?.destroy());

  const unit = (id: string) => ctx.dataSource.query(`SELECT clues, previous_clues, state_code, name FROM hr_unit WHERE unit_id = $1`, [id]);
  const at = new Date().toISOString();

  it('keeps a unit from inventory to re-registration, its posts following it', async () => {
    const id = randomUUID();
    await ctx.dataSource.transaction((m) => applyUnitInventoried(m, { unitId: id, clues: 'NTSSA000010', stateCode: '18', name: 'TEPIC', institution: 'SSA', inventoriedAt: at }));
    await ctx.dataSource.query(
      `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason) VALUES ($1, '18', 'X1', 'M01006', $2, true, 'vacant', 'test')`,
      [randomUUID(), id],
    );
    await ctx.dataSource.transaction((m) => applyUnitReRegistered(m, { unitId: id, stateCode: '18', previousClues: 'NTSSA000010', clues: 'NTIMB000010', reRegisteredAt: at }));
    expect(await unit(id)).toEqual([{ clues: 'NTIMB000010', previous_clues: 'NTSSA000010', state_code: '18', name: 'TEPIC' }]);
    const [{ clues }] = await ctx.dataSource.query(`SELECT u.clues FROM post p JOIN hr_unit u ON u.unit_id = p.unit_id WHERE p.number = 'X1'`);
    expect(clues).toBe('NTIMB000010');
    // A later inventory event of the same unit renames it but keeps its keys.
    await ctx.dataSource.transaction((m) => applyUnitInventoried(m, { unitId: id, clues: 'NTIMB000010', stateCode: '18', name: 'TEPIC CENTRO', institution: 'IMB', inventoriedAt: at }));
    expect(await unit(id)).toEqual([{ clues: 'NTIMB000010', previous_clues: 'NTSSA000010', state_code: '18', name: 'TEPIC CENTRO' }]);
  });

  it('knows a unit re-registered before it was seen inventoried under both keys', async () => {
    const id = randomUUID();
    await ctx.dataSource.transaction((m) => applyUnitReRegistered(m, { unitId: id, stateCode: '18', previousClues: 'NTSSA000011', clues: 'NTIMB000011', reRegisteredAt: at }));
    expect(await unit(id)).toEqual([{ clues: 'NTIMB000011', previous_clues: 'NTSSA000011', state_code: '18', name: 'NTIMB000011' }]);
  });
});
