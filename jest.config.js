/** One jest run over test/ (benchmarks live in test/bench and are run by `npm run bench`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/test/bench/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } } }] },
  moduleNameMapper: {
    '^@shared/(.*)$': '<rootDir>/shared/$1',
    '^@bff/(.*)$': '<rootDir>/bff/src/$1',
    '^@mock/(.*)$': '<rootDir>/mock/$1',
  },
  globalSetup: '<rootDir>/test/globalSetup.ts',
  testTimeout: 60000,
};
