import { newJobId, parseJobId } from './job-id';

describe('job ids', () => {
  it('name the owning service and round-trip through parseJobId', () => {
    const id = newJobId('transfer');
    expect(id).toMatch(/^transfer-[0-9a-f-]{36}$/);
    expect(parseJobId(id)).toEqual({ service: 'transfer', uuid: id.slice('transfer-'.length) });
  });

  it('refuse service names that would make ids ambiguous', () => {
    expect(() => newJobId('human-resources')).toThrow(/not a valid service name/);
    expect(() => newJobId('')).toThrow(/not a valid service name/);
    expect(() => newJobId('HR')).toThrow(/not a valid service name/);
  });

  it.each([
    '',
    'transfer',
    '4f0c2d1e-7a9b-4c3d-8e2f-1a2b3c4d5e6f',
    'transfer-4f0c2d1e-7a9b-4c3d-8e2f-1a2b3c4d5e6',
    'transfer-4F0C2D1E-7A9B-4C3D-8E2F-1A2B3C4D5E6F',
    'trans fer-4f0c2d1e-7a9b-4c3d-8e2f-1a2b3c4d5e6f',
    'transfer-4f0c2d1e-7a9b-4c3d-8e2f-1a2b3c4d5e6f-x',
    'transfer:4f0c2d1e-7a9b-4c3d-8e2f-1a2b3c4d5e6f',
  ])('parseJobId rejects %p', (id) => {
    expect(parseJobId(id)).toBeNull();
  });
});
