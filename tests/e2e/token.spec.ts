import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';

test('the API refuses calls without the right token', async ({ request, custos }) => {
  const call = { method: 'store.status', input: {} };
  const bare = await request.post(`${custos.origin}/api/call`, { data: call });
  expect(bare.status()).toBe(401);
  const wrong = await request.post(`${custos.origin}/api/call`, { data: call, headers: { Authorization: 'Bearer not-the-token' } });
  expect(wrong.status()).toBe(401);
  const right = await request.post(`${custos.origin}/api/call`, { data: call, headers: { Authorization: `Bearer ${custos.token}` } });
  expect(right.status()).toBe(200);
  expect(await right.json()).toMatchObject({ ok: true, value: { initialised: false, unlocked: false } });
});

test('the page without the token asks for the printed link', async ({ page, custos }) => {
  await page.goto(`${custos.origin}/`);
  await expect(page.getByTestId('token-refused-message')).toHaveText('This page needs the link printed by custos serve.');
  await expect(page.getByTestId('setup-view')).toHaveCount(0);
  await screenshot(page, '12-no-token');

  await page.getByTestId('lang-es').click();
  await expect(page.getByTestId('token-refused-message')).toHaveText('Esta página necesita el enlace que imprime custos serve.');
});

test('a stale token is refused the same way', async ({ page, custos }) => {
  await page.goto(`${custos.origin}/#token=stale-token-from-an-earlier-run`);
  await expect(page.getByTestId('token-refused-message')).toHaveText('This page needs the link printed by custos serve.');
});
