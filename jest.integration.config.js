// Tests against the real Kafka broker, PostgreSQL and Redis (started by infra/scripts/test.sh).
module.exports = {
  ...require('./jest.preset'),
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/infra', '<rootDir>/e2e'],
  testMatch: ['**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 180000,
};
