import type { Page } from '@playwright/test';
import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';

const ADMIN = 'admin passphrase for roles';

async function unlock(page: Page, user: string, passphrase: string): Promise<void> {
  await expect(page.getByTestId('unlock-view')).toBeVisible();
  await page.getByLabel('Login name').fill(user);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

async function addUser(page: Page, name: string, role: string, passphrase: string): Promise<void> {
  await page.getByLabel('Login name', { exact: true }).fill(name);
  await page.getByLabel('Role').selectOption(role);
  await page.getByTestId('user-add-passphrase').fill(passphrase);
  await page.getByTestId('user-add-confirm').fill(passphrase);
  await page.getByTestId('user-add-submit').click();
  await expect(page.getByTestId(`user-row-${name}`)).toBeVisible();
}

test('disable and reset from Users; what an investigator and a disabled user see', async ({ page, custos }) => {
  await page.goto(custos.url);
  await page.getByLabel('Administrator login name').fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN);
  await page.getByLabel('Confirm passphrase').fill(ADMIN);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByTestId('nav-users').click();

  await addUser(page, 'bob', 'investigator', 'bob first passphrase');
  await addUser(page, 'carol', 'supervisor', 'carol passphrase');
  // A login name the engine would refuse is caught with a specific message.
  await page.getByLabel('Login name', { exact: true }).fill('Bad Name');
  await page.getByTestId('user-add-submit').click();
  await expect(page.getByTestId('user-add-error')).toContainText('Login names have 2 to 32 characters');

  await page.getByTestId('user-disable-carol').click();
  await expect(page.getByTestId('user-row-carol')).toContainText('Disable carol?');
  await screenshot(page, '14-users-confirm-disable');
  await page.getByTestId('user-disable-confirm-carol').click();
  await expect(page.getByTestId('user-row-carol')).toContainText('Disabled');
  await expect(page.getByTestId('user-disable-carol')).toHaveCount(0);

  await page.getByLabel('User', { exact: true }).selectOption('bob');
  await page.getByTestId('user-reset-passphrase').fill('bob second passphrase');
  await page.getByTestId('user-reset-confirm').fill('bob second passphrase');
  await page.getByTestId('user-reset-submit').click();
  await expect(page.getByTestId('user-reset-notice')).toHaveText('The passphrase of bob was reset.');

  await page.getByTestId('lock-button').click();
  await unlock(page, 'carol', 'carol passphrase');
  // Disabling removes the key slot, so the engine may answer bad-credentials rather than user-disabled.
  await expect(page.getByTestId('unlock-error')).toContainText(/This account is disabled|The login name or passphrase is not correct/);
  await expect(page.getByTestId('unlock-view')).toBeVisible();

  await unlock(page, 'bob', 'bob second passphrase');
  await expect(page.getByTestId('user-role')).toHaveText('Investigator');
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByLabel('Lock after this many minutes without activity')).toHaveAttribute('readonly', '');
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await screenshot(page, '15-investigator-settings');
});
