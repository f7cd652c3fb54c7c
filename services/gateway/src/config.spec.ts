import { composeEnvironment, unreachableAddresses } from '@imb/testing';
import { validateServiceConfig } from './config';

describe('gateway in docker-compose.yml', () => {
  it("starts with an environment its own configuration accepts", () => {
    expect(() => validateServiceConfig(composeEnvironment('gateway'))).not.toThrow();
  });

  it('connects only to services of the compose file, on the ports they listen on', () => {
    expect(unreachableAddresses(validateServiceConfig(composeEnvironment('gateway')))).toEqual([]);
  });
});
