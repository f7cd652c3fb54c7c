import { JobProcessorRegistry } from './job-processor-registry';

describe('JobProcessorRegistry', () => {
  it('keeps one processor per kind', () => {
    const registry = new JobProcessorRegistry();
    const processor = { kind: 'units-import', run: () => Promise.resolve({ imported: 0 }) };
    registry.register(processor);
    expect(registry.get('units-import')).toBe(processor);
    expect(registry.get('other')).toBeUndefined();
    expect(registry.kinds()).toEqual(['units-import']);
    expect(() => registry.register({ kind: 'units-import', run: () => Promise.resolve(null) })).toThrow(
      /already registered/,
    );
  });
});
