import { composeEnvironment, unreachableAddresses } from '@imb/testing';
import { validateServiceConfig } from './config';

describe('transfer in docker-compose.yml', () => {
  it("starts with an environment its own configuration accepts", () => {
    expect(() => validateServiceConfig(composeEnvironment('transfer'))).not.toThrow();
  });

  it('connects only to services of the compose file, on the ports they listen on', () => {
    expect(unreachableAddresses(validateServiceConfig(composeEnvironment('transfer')))).toEqual([]);
  });
});
