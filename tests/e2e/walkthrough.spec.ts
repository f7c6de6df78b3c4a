import type { Page } from '@playwright/test';
import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';

const ALICE = 'correct horse battery staple';
const BOB = 'bob-initial-passphrase';
const CASE_NUMBER = 'GT-2026-0042';
const CASE_TITLE = 'Operation Quetzal — shared cloud folder';

/** The page must load nothing from anywhere but its own origin, and trip no CSP. */
function watchForLeaks(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`request to ${url}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

test('first run, users, lock and unlock, cases, then Spanish', async ({ page, custos }) => {
  const problems = watchForLeaks(page, custos.origin);

  await test.step('first-run setup creates the admin alice', async () => {
    await page.goto(custos.url);
    await expect(page.getByTestId('setup-view')).toBeVisible();
    // The one-time token leaves the address bar at once.
    expect(new URL(page.url()).hash).toBe('');
    await expect(page.getByTestId('product-name')).toHaveText('Custos');
    await expect(page.getByTestId('lang-en')).toBeVisible();
    await expect(page.getByTestId('setup-warning')).toContainText('cannot be recovered');
    await screenshot(page, '01-setup');

    await page.getByLabel('Administrator login name').fill('alice');
    await page.getByLabel('Passphrase', { exact: true }).fill(ALICE);
    await page.getByLabel('Confirm passphrase').fill(`${ALICE}!`);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByRole('alert')).toHaveText('The two passphrases do not match.');
    await screenshot(page, '02-setup-mismatch');

    await page.getByLabel('Confirm passphrase').fill(ALICE);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByTestId('user-name')).toHaveText('alice');
    await expect(page.getByTestId('user-role')).toHaveText('Administrator');
    await expect(page.getByTestId('cases-empty')).toBeVisible();
    await screenshot(page, '03-cases-empty');
  });

  await test.step('Users: alice adds the investigator bob', async () => {
    await page.getByTestId('nav-users').click();
    await expect(page.getByTestId('user-row-alice')).toContainText('Administrator');
    await page.getByLabel('Login name', { exact: true }).fill('bob');
    await page.getByLabel('Role').selectOption('investigator');
    await page.getByLabel('Initial passphrase').fill(BOB);
    await page.getByTestId('user-add-confirm').fill(BOB);
    await page.getByTestId('user-add-submit').click();
    await expect(page.getByTestId('user-add-notice')).toHaveText('User bob was added.');
    const bob = page.getByTestId('user-row-bob');
    await expect(bob).toContainText('Investigator');
    await expect(bob).toContainText('Active');
    await screenshot(page, '04-users-bob-added');
  });

  await test.step('Lock returns to the unlock screen', async () => {
    await page.getByTestId('lock-button').click();
    await expect(page.getByTestId('unlock-view')).toBeVisible();
    await expect(page.getByTestId('lock-button')).toHaveCount(0);
    await expect(page.getByTestId('lang-es')).toBeVisible();
    await screenshot(page, '05-locked');
  });

  await test.step('a wrong passphrase is refused with a translated message', async () => {
    await page.getByLabel('Login name').fill('alice');
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const alert = page.getByTestId('unlock-error');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText('The login name or passphrase is not correct.');
    await expect(page.getByLabel('Login name')).toHaveValue('alice');
    await expect(page.getByTestId('unlock-view')).toBeVisible();
    await screenshot(page, '06-unlock-wrong-passphrase');
  });

  await test.step('the right passphrase unlocks', async () => {
    await page.getByLabel('Passphrase').fill(ALICE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('user-name')).toHaveText('alice');
  });

  await test.step('Cases: create a case and see it listed', async () => {
    await page.getByTestId('nav-cases').click();
    await page.getByLabel('Case number').fill(CASE_NUMBER);
    await page.getByLabel('Title').fill(CASE_TITLE);
    await page.getByLabel('Category scheme').selectOption('vics-us');
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect(page.getByTestId('case-create-notice')).toHaveText(`Case ${CASE_NUMBER} was created.`);
    const row = page.locator(`[data-testid="case-row"][data-case-number="${CASE_NUMBER}"]`);
    await expect(row).toContainText(CASE_TITLE);
    await expect(row).toContainText('VICS (United States)');
    await expect(row).toContainText('alice');
    await screenshot(page, '07-case-created');
  });

  await test.step('switching to Spanish translates the workspace and persists', async () => {
    await page.getByTestId('lang-es').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByTestId('nav-cases')).toHaveText('Casos');
    await expect(page.getByTestId('nav-users')).toHaveText('Usuarios');
    await expect(page.getByTestId('nav-settings')).toHaveText('Configuración');
    await expect(page.getByTestId('lock-button')).toHaveText('Bloquear');
    await expect(page.getByTestId('user-role')).toHaveText('Administrador');
    await expect(page.getByRole('columnheader', { name: 'Número de caso' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Evidencias' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Crear caso' })).toBeVisible();
    await expect(page.getByTestId('case-create-notice')).toHaveText(`Se creó el caso ${CASE_NUMBER}.`);
    await expect(page.getByTestId('case-row')).toContainText('VICS (Estados Unidos)');
    await screenshot(page, '08-spanish-cases');

    await page.getByTestId('nav-users').click();
    await expect(page.getByTestId('user-row-bob')).toContainText('Investigador');
    await expect(page.getByRole('heading', { name: 'Agregar un usuario' })).toBeVisible();
    await screenshot(page, '09-spanish-users');

    await page.getByTestId('nav-settings').click();
    await expect(page.getByRole('heading', { name: 'Bloqueo por inactividad' })).toBeVisible();
    await expect(page.getByLabel('Bloquear tras estos minutos sin actividad')).toHaveValue('10');
    await screenshot(page, '10-spanish-settings');

    // The choice survives a reload (the token too: it moved to sessionStorage).
    await page.reload();
    await expect(page.getByTestId('nav-cases')).toHaveText('Casos');
    await page.getByTestId('lock-button').click();
    await expect(page.getByRole('heading', { name: 'Desbloquear Custos' })).toBeVisible();
    await expect(page.getByLabel('Frase de contraseña')).toBeVisible();
    await page.getByLabel('Nombre de usuario').fill('alice');
    await page.getByLabel('Frase de contraseña').fill('otra frase equivocada');
    await page.getByRole('button', { name: 'Desbloquear' }).click();
    await expect(page.getByTestId('unlock-error')).toContainText('El nombre de usuario o la frase de contraseña no son correctos.');
    await screenshot(page, '11-spanish-unlock-error');
  });

  expect(problems).toEqual([]);
});
