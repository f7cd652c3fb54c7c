const preset = require('../../jest.preset');

// jose 6 ships only ES modules. Node ≥ 20.19 loads it from CommonJS (require(esm)), but
// jest's own module loader does not on Node < 24.9, so jest compiles jose to CommonJS.
// The same two settings belong in jest.preset.js for every suite that imports @imb/auth.
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
