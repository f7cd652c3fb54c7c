// Shared jest settings: TypeScript through ts-jest (transpile only: `tsc -b` type-checks),
// and @imb/* imports mapped to library sources so tests never need a prior build.
const path = require('path');
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }],
    // jose 6 ships ESM only; Node 20 requires it natively, but jest's module loader cannot, so compile it to CommonJS.
    '^.+/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@imb/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts') },
};
