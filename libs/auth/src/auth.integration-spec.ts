import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, HttpCode, type INestApplication, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { currentContext, runInContext } from '@imb/contracts';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import request from 'supertest';
import {
  type AuthConfig,
  DEFAULT_DEV_SECRET,
  DEV_AUDIENCE,
  DEV_ISSUER,
  type JwksAuthConfig,
} from './auth-config';
import { CurrentUser, Public, Roles, StateScope } from './auth.decorators';
import { IdentityProviderUnavailableError, InvalidTokenError } from './auth.errors';
import { AuthModule } from './auth.module';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

@Controller('sample')
class SampleController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Roles('state-coordinator', 'federal-coordinator')
  @StateScope('stateCode')
  @Get(':stateCode')
  read(
    @Param('stateCode') stateCode: string,
    @CurrentUser() user: Principal,
  ): { stateCode: string; sub: string; actor?: string } {
    return { stateCode, sub: user.sub, actor: currentContext()?.actor };
  }

  @StateScope('stateCode')
  @Post(':stateCode/notes')
  @HttpCode(200)
  write(
    @Param('stateCode') stateCode: string,
    @Body() body: { note?: string },
  ): { stateCode: string; note?: string } {
    return { stateCode, note: body.note };
  }
}

const devConfig: AuthConfig = {
  mode: 'dev',
  secret: DEFAULT_DEV_SECRET,
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
  clockToleranceSeconds: 5,
};

/** A gateway-like app: global /api prefix, a per-request execution context, AuthModule. */
async function bootApp(config: AuthConfig, devTokenRoute = true): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot({ config, devTokenRoute })],
    controllers: [SampleController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.setGlobalPrefix('api');
  app.use((_req: unknown, _res: unknown, next: () => void) => runInContext({ correlationId: 'test' }, next));
  await app.init();
  return app;
}

describe('AuthModule in a Nest app (dev issuer)', () => {
  let app: INestApplication;
  const tokens: Record<string, string> = {};

  async function devToken(body: object): Promise<string> {
    const response = await request(app.getHttpServer()).post('/api/auth/dev-token').send(body).expect(200);
    return (response.body as { accessToken: string }).accessToken;
  }

  beforeAll(async () => {
    app = await bootApp(devConfig);
    tokens.coordinator13 = await devToken({ sub: 'ana', roles: ['state-coordinator'], states: ['13'] });
    tokens.federal = await devToken({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    tokens.hr13 = await devToken({ sub: 'hugo', roles: ['hr-officer'], states: ['13'] });
    tokens.auditor = await devToken({ sub: 'aida', roles: ['auditor'], states: [], ttlSeconds: 120 });
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };
  const post = (path: string, token: string, body: object) =>
    request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${token}`).send(body);

  it('answers 401 without a token, in the platform error shape', async () => {
    const response = await get('/api/sample/13').expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: "Authentication required: send the header 'Authorization: Bearer <access token>'.",
    });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 to a bad token', async () => {
    const response = await get('/api/sample/13', `${tokens.coordinator13}x`).expect(401);
    expect(response.body.message).toMatch(/signature does not match/);
  });

  it('answers 401 to a token signed with another secret', async () => {
    const forged = await new SignJWT({ roles: ['federal-coordinator'], states: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not-the-platform-secret-but-long-enough'));
    await get('/api/sample/13', forged).expect(401);
  });

  it('answers 403 to a caller without the role', async () => {
    const response = await get('/api/sample/13', tokens.hr13).expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message:
        'This action requires one of the roles [state-coordinator, federal-coordinator]; your token has [hr-officer].',
    });
  });

  it("answers 403 for a state outside the caller's", async () => {
    const response = await get('/api/sample/14', tokens.coordinator13).expect(403);
    expect(response.body.message).toMatch(/may not access state 14/);
  });

  it('answers 403 to an auditor writing', async () => {
    const response = await post('/api/sample/13/notes', tokens.auditor, { note: 'x' }).expect(403);
    expect(response.body.message).toMatch(/Auditors are read-only/);
  });

  it('answers 400 to a malformed state code', async () => {
    const response = await get('/api/sample/99', tokens.federal).expect(400);
    expect(response.body.message).toMatch(/two-digit INEGI state code/);
  });

  it('serves callers within their roles and states, with user and actor set', async () => {
    await get('/api/sample/13', tokens.coordinator13).expect(200, {
      stateCode: '13',
      sub: 'ana',
      actor: 'ana',
    });
    await get('/api/sample/27', tokens.federal).expect(200, { stateCode: '27', sub: 'fede', actor: 'fede' });
    await post('/api/sample/13/notes', tokens.hr13, { note: 'ok' }).expect(200, {
      stateCode: '13',
      note: 'ok',
    });
    await post('/api/sample/30/notes', tokens.federal, {}).expect(200, { stateCode: '30' });
  });

  it('lets @Public() routes through without a token', async () => {
    await get('/api/sample/open').expect(200, { open: true });
  });

  it('validates dev-token requests', async () => {
    const server = app.getHttpServer();
    const badRole = await request(server)
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['root'], states: [] })
      .expect(400);
    expect(JSON.stringify(badRole.body.message)).toMatch(/roles must be one of/);
    const badState = await request(server)
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['hr-officer'], states: ['7'] })
      .expect(400);
    expect(JSON.stringify(badState.body.message)).toMatch(/not a state code/);
    await request(server)
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['hr-officer'], states: [], admin: true })
      .expect(400);
    await request(server)
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['hr-officer'], states: [], ttlSeconds: 0 })
      .expect(400);
  });
});

describe('AuthModule dev-token route mounting', () => {
  it('is not mounted unless asked for', async () => {
    const app = await bootApp(devConfig, false);
    await request(app.getHttpServer())
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['auditor'], states: [] })
      .expect(404);
    await app.close();
  });

  it('is not mounted outside dev mode, even when asked for', async () => {
    const jwksConfig: AuthConfig = {
      mode: 'jwks',
      jwksUrl: 'http://127.0.0.1:9/jwks.json',
      issuer: 'https://idp.test',
      audience: 'imb-platform',
      clockToleranceSeconds: 5,
    };
    const app = await bootApp(jwksConfig, true);
    await request(app.getHttpServer())
      .post('/api/auth/dev-token')
      .send({ sub: 'x', roles: ['auditor'], states: [] })
      .expect(404);
    await app.close();
  });
});

describe('TokenVerifier against a JWKS served over HTTP', () => {
  const issuer = 'https://idp.test/realms/imb';
  let server: Server;
  let config: JwksAuthConfig;
  let signingKey: CryptoKey;
  let jwksRequests = 0;

  const sign = (
    claims: object,
    key: CryptoKey | Uint8Array = signingKey,
    kid = 'key-1',
    alg = 'RS256',
  ): Promise<string> =>
    new SignJWT({ roles: ['state-coordinator'], states: ['13'], ...claims })
      .setProtectedHeader({ alg, kid })
      .setSubject('ana@idp')
      .setIssuer(issuer)
      .setAudience('imb-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    signingKey = privateKey;
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      jwksRequests += 1;
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    config = {
      mode: 'jwks',
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      issuer,
      audience: 'imb-platform',
      clockToleranceSeconds: 5,
    };
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  it('verifies an RS256 token signed with a key of the set, fetching the set once', async () => {
    const verifier = new TokenVerifier(config);
    const before = jwksRequests;
    await expect(verifier.verify(await sign({}))).resolves.toEqual({
      sub: 'ana@idp',
      roles: ['state-coordinator'],
      states: ['13'],
    });
    await expect(verifier.verify(await sign({ roles: ['auditor'], states: [] }))).resolves.toMatchObject({
      roles: ['auditor'],
    });
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses a token signed by a key outside the set', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expect(new TokenVerifier(config).verify(await sign({}, privateKey))).rejects.toMatchObject({
      code: 'TOKEN_SIGNATURE_INVALID',
    });
    await expect(new TokenVerifier(config).verify(await sign({}, privateKey, 'key-2'))).rejects.toMatchObject(
      {
        code: 'TOKEN_KEY_UNKNOWN',
      },
    );
  });

  it('refuses an HMAC token (algorithm confusion) and malformed claims', async () => {
    const hmac = await sign({}, new TextEncoder().encode('x'.repeat(40)), 'key-1', 'HS256');
    await expect(new TokenVerifier(config).verify(hmac)).rejects.toMatchObject({
      code: 'TOKEN_ALGORITHM_REFUSED',
    });
    await expect(new TokenVerifier(config).verify(await sign({ states: ['40'] }))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('reports an unreachable key set as the identity provider being unavailable', async () => {
    const verifier = new TokenVerifier({
      ...config,
      jwksUrl: config.jwksUrl.replace('/jwks.json', '/missing.json'),
    });
    await expect(verifier.verify(await sign({}))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('guards a Nest app with tokens of the external issuer', async () => {
    const app = await bootApp(config);
    await request(app.getHttpServer())
      .get('/api/sample/13')
      .set('Authorization', `Bearer ${await sign({})}`)
      .expect(200);
    await request(app.getHttpServer())
      .get('/api/sample/14')
      .set('Authorization', `Bearer ${await sign({})}`)
      .expect(403);
    await app.close();
  });
});
