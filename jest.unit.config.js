// Fast tests beside the code: *.spec.ts (fakes allowed, no infrastructure).
module.exports = {
  ...require('./jest.preset'),
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/infra', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
