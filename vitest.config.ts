import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // Argon2id at 64 MiB per unlock and CLI processes: generous, never a performance gate.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
