import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DevApiClient, seedProfile } from './dev-api-client';

describe('DevApiClient', () => {
  let server: Server;
  let answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }>;
  const seen: Array<{ method?: string; url?: string; authorization?: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      const answer = answers.shift() ?? { status: 500, body: { message: 'no answer planned' } };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const client = () => {
    const { port } = server.address() as AddressInfo;
    return DevApiClient.create('system:seed', ['federal-coordinator'], [], { AUTH_DEV_ISSUER: 'true', SEED_API_URL: `http://127.0.0.1:${port}/` });
  };

  it('signs a dev token and calls under /api of SEED_API_URL', async () => {
    answers = [{ status: 200, body: { ok: true } }];
    await expect((await client()).get('/transfers')).resolves.toEqual({ ok: true });
    expect(seen).toEqual([{ method: 'GET', url: '/api/transfers', authorization: expect.stringMatching(/^Bearer .+\..+\..+$/) }]);
  });

  it('reaches another service through GATEWAY_URL with the same token', async () => {
    const { port } = server.address() as AddressInfo;
    const own = await DevApiClient.create('system:seed', ['federal-coordinator'], [], {
      AUTH_DEV_ISSUER: 'true',
      SEED_API_URL: 'http://127.0.0.1:1/',
      GATEWAY_URL: `http://127.0.0.1:${port}`,
    });
    answers = [{ status: 200, body: { items: [] } }];
    await expect(own.viaGateway().get('/transfers/18/units')).resolves.toEqual({ items: [] });
    expect(seen).toEqual([{ method: 'GET', url: '/api/transfers/18/units', authorization: expect.stringMatching(/^Bearer /) }]);
    expect(own.baseUrl).toBe('http://127.0.0.1:1');
  });

  it('waits out a 429 as Retry-After says and tries again', async () => {
    answers = [
      { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '1' } },
      { status: 201, body: { id: 'p1' } },
    ];
    await expect((await client()).call('POST', '/dignification/programmes', { year: 2026 })).resolves.toEqual({ status: 201, body: { id: 'p1' } });
    expect(seen).toHaveLength(2);
  });

  it("throws with the service's message on an error answer, unless it is expected", async () => {
    answers = [{ status: 409, body: { statusCode: 409, message: 'exercise 2027-2028 exists' } }, { status: 409, body: {} }];
    const api = await client();
    await expect(api.call('POST', '/procurement/exercises', {})).rejects.toThrow('POST /api/procurement/exercises → 409: exercise 2027-2028 exists');
    await expect(api.call('POST', '/procurement/exercises', {}, [409])).resolves.toEqual({ status: 409, body: {} });
  });

  it('refuses to run without the dev issuer', async () => {
    await expect(DevApiClient.create('x', [], [], {})).rejects.toThrow(/AUTH_DEV_ISSUER=true/);
  });
});

describe('seedProfile', () => {
  it('reads --profile=, else SEED_PROFILE, else demo, and refuses anything else', () => {
    expect(seedProfile(['node', 'seed.js', '--profile=reference'], {})).toBe('reference');
    expect(seedProfile(['node', 'seed.js'], { SEED_PROFILE: 'reference' })).toBe('reference');
    expect(seedProfile(['node', 'seed.js'], {})).toBe('demo');
    expect(() => seedProfile(['node', 'seed.js', '--profile=full'], {})).toThrow(/unknown seed profile "full"/);
  });
});
