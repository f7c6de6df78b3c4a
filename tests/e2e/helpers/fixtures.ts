import { test as base, expect } from '@playwright/test';
import { startCustosServer, type CustosServer } from './custos-server.js';

/** Every test gets its own `custos serve` on its own fresh store. */
export const test = base.extend<{ custos: CustosServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none.
  custos: async ({}, use) => {
    const server = await startCustosServer();
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  },
});

export { expect };
