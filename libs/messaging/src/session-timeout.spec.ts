import { kafkaSessionTimeoutMs } from './consumer';

describe('kafkaSessionTimeoutMs', () => {
  it('defaults to 30 s', () => {
    expect(kafkaSessionTimeoutMs({})).toBe(30000);
    expect(kafkaSessionTimeoutMs({ KAFKA_SESSION_TIMEOUT_MS: '' })).toBe(30000);
  });

  it('takes a value within the broker limits', () => {
    expect(kafkaSessionTimeoutMs({ KAFKA_SESSION_TIMEOUT_MS: '8000' })).toBe(8000);
  });

  it.each(['5999', '300001', 'abc', '7000.5'])('refuses %s with a message naming the variable', (raw) => {
    expect(() => kafkaSessionTimeoutMs({ KAFKA_SESSION_TIMEOUT_MS: raw })).toThrow(/KAFKA_SESSION_TIMEOUT_MS must be an integer/);
  });
});
