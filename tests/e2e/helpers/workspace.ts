// Steps the specs share: a first administrator on a fresh store, the item row of a path, and
// the page's errors collected for a final check.
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/** Creates the store's first administrator, alice, and waits for the empty case list. */
export async function createFirstAdmin(page: Page, url: string, passphrase: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Administrator login name').fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByTestId('cases-empty')).toBeVisible();
}

/** The row of the item whose path ends with `suffix` (paths are relative to the source's parent). */
export function itemRow(page: Page, suffix: string) {
  return page.getByTestId('item-row').filter({ has: page.locator(`[data-testid="item-path"][title$="${suffix}"]`) });
}

/** Uncaught page errors and console errors, as they happen: a spec ends expecting none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}
