import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApi } from './merge-openapi';

const doc = (
  title: string,
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
  tags: string[] = [],
): OpenAPIObject =>
  ({
    openapi: '3.0.0',
    info: { title, version: '1.0', description: title },
    paths,
    components: { schemas },
    tags: tags.map((name) => ({ name })),
  }) as OpenAPIObject;

describe('mergeOpenApi', () => {
  const gateway = doc(
    'gateway',
    { '/api/me': { get: { summary: 'me' } }, '/api/jobs': { get: { summary: 'merged jobs' } } },
    { Page: { type: 'object' } },
    ['auth'],
  );

  it("adds the services' paths, schemas and tags to the gateway's", () => {
    const transfer = doc(
      'transfer',
      { '/api/transfers': { get: { summary: 'list', operationId: 'TransfersController_list' } } },
      { AdvanceDto: { type: 'object' } },
      ['transfers'],
    );
    const merged = mergeOpenApi(gateway, [{ service: 'transfer', document: transfer }]);
    expect(Object.keys(merged.paths)).toEqual(['/api/me', '/api/jobs', '/api/transfers']);
    expect(Object.keys(merged.components!.schemas!)).toEqual(['Page', 'AdvanceDto']);
    expect(merged.tags!.map((t) => t.name)).toEqual(['auth', 'transfers']);
    expect((merged as unknown as Record<string, unknown>)['x-missing-services']).toEqual([]);
    expect(merged.paths['/api/transfers'].get!.operationId).toBe('transfer_TransfersController_list');
    expect(gateway.paths['/api/transfers']).toBeUndefined();
  });

  it("keeps the gateway's own paths whole: a service's operations there are not forwarded, so not listed", () => {
    const hr = doc('hr', {
      '/api/jobs': { get: { summary: 'hr jobs' }, post: { summary: 'for the gateway only' } },
      '/api/jobs/{id}': { get: { summary: 'one job' } },
    });
    const merged = mergeOpenApi(gateway, [{ service: 'hr', document: hr }]);
    expect(merged.paths['/api/jobs']).toEqual({ get: { summary: 'merged jobs' } });
    expect(merged.paths['/api/jobs/{id}'].get!.summary).toBe('one job');
  });

  it('renames a schema whose name another service uses differently, references included', () => {
    const ref = { $ref: '#/components/schemas/Page' };
    const hr = doc(
      'hr',
      {
        '/api/hr/posts': {
          get: { responses: { 200: { content: { 'application/json': { schema: ref } } } } },
        },
      },
      { Page: { type: 'array' } },
    );
    const same = doc(
      'procurement',
      { '/api/procurement/x': { get: { summary: 'x' } } },
      { Page: { type: 'object' } },
    );
    const merged = mergeOpenApi(gateway, [
      { service: 'hr', document: hr },
      { service: 'procurement', document: same },
    ]);
    expect(merged.components!.schemas!['hr.Page']).toEqual({ type: 'array' });
    expect(merged.components!.schemas!.Page).toEqual({ type: 'object' });
    expect(JSON.stringify(merged.paths['/api/hr/posts'])).toContain('#/components/schemas/hr.Page');
    expect(merged.components!.schemas!['procurement.Page']).toBeUndefined();
  });

  it('says which services are missing instead of failing', () => {
    const merged = mergeOpenApi(gateway, [
      { service: 'dignification', error: 'The dignification service is unavailable (ECONNREFUSED)' },
    ]);
    expect(merged.info.description).toMatch(
      /Incomplete.*\n- dignification: The dignification service is unavailable/s,
    );
    expect((merged as unknown as Record<string, unknown>)['x-missing-services']).toEqual(['dignification']);
    expect(Object.keys(merged.paths)).toEqual(['/api/me', '/api/jobs']);
  });
});
