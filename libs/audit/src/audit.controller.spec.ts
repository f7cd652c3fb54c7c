import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Principal } from '@imb/auth';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditSearchQuery } from './search-audit';

describe('AuditController', () => {
  let app: INestApplication;
  const search = jest.fn((q: AuditSearchQuery) =>
    Promise.resolve({ items: [], total: 0, page: q.page ?? 1, pageSize: q.pageSize ?? 50 }),
  );
  const verify = jest.fn(() => Promise.resolve({ valid: true, checked: 3 }));

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [AuditController],
      providers: [{ provide: AuditService, useValue: { search, verify } }],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(() => app.close());
  beforeEach(() => search.mockClear());

  it('passes converted filters to the service', async () => {
    const res = await request(app.getHttpServer())
      .get('/audit')
      .query({ entity: 'StateTransfer', entityId: 'st-09', actor: 'u1', stateCode: '09' })
      .query({ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z', page: '2', pageSize: '25' })
      .expect(200);
    expect(res.body).toEqual({ items: [], total: 0, page: 2, pageSize: 25 });
    expect(search).toHaveBeenCalledWith({
      entity: 'StateTransfer',
      entityId: 'st-09',
      actor: 'u1',
      stateCode: '09',
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-02-01T00:00:00Z'),
      page: 2,
      pageSize: 25,
    });
  });

  it.each([
    ['page=0', /page must be a whole number from 1 to 1000000/],
    ['page=1.5', /page must be a whole number from 1 to 1000000/],
    ['page=1e308', /page must be a whole number from 1 to 1000000/],
    ['pageSize=0', /pageSize must be a whole number from 1 to 1000/],
    ['pageSize=1001', /pageSize must be a whole number from 1 to 1000/],
    ['from=yesterday', /from must be a valid ISO 8601/],
    ['to=2025-13-01', /to must be a valid ISO 8601/],
    ['stateCode=33', /not a state code/],
    ['sort=seq', /property sort should not exist/],
  ])('answers 400 to %s without searching', async (qs, message) => {
    const res = await request(app.getHttpServer()).get(`/audit?${qs}`).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
    expect(search).not.toHaveBeenCalled();
  });

  it('lets a caller without a national role read only a state of their token, named', async () => {
    const controller = new AuditController({ search, verify } as unknown as AuditService);
    const hr13 = { sub: 'hr', roles: ['hr-officer'], states: ['13'] } as Principal;
    await expect(controller.search({}, hr13)).rejects.toThrow(/Name a stateCode: your token grants the states \[13\]/);
    expect(search).not.toHaveBeenCalled();
    await controller.search({ stateCode: '13' }, hr13);
    await controller.search({}, { sub: 'aud', roles: ['auditor'], states: [] });
    expect(search).toHaveBeenCalledTimes(2);
  });

  it('masks the CURPs in records for roles that read the trail but may not know the person (policy audit.records)', async () => {
    const curp = 'GOMA850101MNTRRN09';
    const record = { id: '1', entity: 'worker', entityId: curp, after: { curp, step: 'appointed' }, reason: `CURP ${curp} appointed` };
    const service = { search: jest.fn().mockResolvedValue({ items: [record], total: 1, page: 1, pageSize: 25 }), verify } as unknown as AuditService;
    const controller = new AuditController(service);
    const masked = await controller.search({ stateCode: '18' }, { sub: 'dig', roles: ['dignification-officer'], states: ['18'] });
    expect(JSON.stringify(masked)).not.toContain(curp);
    expect(masked.items[0]).toMatchObject({ entityId: 'GOMA**************', after: { curp: 'GOMA**************', step: 'appointed' } });
    const whole = await controller.search({ stateCode: '18' }, { sub: 'hr', roles: ['hr-officer'], states: ['18'] });
    expect(whole.items[0]).toEqual(record);
  });

  it('exposes verification', async () => {
    const res = await request(app.getHttpServer()).get('/audit/verify').expect(200);
    expect(res.body).toEqual({ valid: true, checked: 3 });
  });
});
