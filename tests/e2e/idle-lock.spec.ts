import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';

const PASSPHRASE = 'idle lock test passphrase';

test('the workspace locks itself after the configured idle minutes', async ({ page, custos }) => {
  // A fake clock in the page, so a minute of idleness takes no real minute.
  await page.clock.install();
  await page.goto(custos.url);
  await page.getByLabel('Administrator login name').fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByTestId('user-name')).toHaveText('alice');

  await page.getByTestId('nav-settings').click();
  // The on-demand integrity check: every page of the store, and the custody chain.
  await page.getByTestId('integrity-check').click();
  await expect(page.getByTestId('integrity-store')).toHaveText(/^The store is whole: all [\d,]+ pages were read and authenticated\.$/);
  await expect(page.getByTestId('integrity-custody')).toHaveText(/^The custody log verifies: \d+ events, every link intact\.$/);
  await screenshot(page, '16-settings-integrity');

  await page.getByLabel('Lock after this many minutes without activity').fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('idle-notice')).toHaveText('Settings were saved.');

  // Activity just before the limit restarts the countdown.
  await page.clock.fastForward('00:50');
  await page.mouse.move(40, 300);
  await page.clock.fastForward('00:30');
  await expect(page.getByTestId('lock-button')).toBeVisible();

  await page.clock.fastForward('00:40');
  await expect(page.getByTestId('unlock-view')).toBeVisible();
  await expect(page.getByTestId('unlock-idle-notice')).toHaveText('Custos locked itself after a period of inactivity.');
  await screenshot(page, '13-idle-locked');
});
