import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';
import { collectPageErrors, createFirstAdmin, itemRow } from './helpers/workspace.js';

// Hash sets through the UI: import a VICS 2.0 set (alert) and an md5sum list (ignorable, with a
// malformed line), watch a broken list fail without changing anything, ingest an evidence folder,
// read the case's triage numbers, set its PDQ threshold and turn blockhash matching on and off,
// open the matched item's detail and read its match explained, in English and in Spanish; then remove a set and see the case matched again without it.
// Everything is synthetic: short text and made-up bytes, never an image of anyone.

const PASSPHRASE = 'hash set test passphrase';
const INVESTIGATOR = 'investigator test passphrase';
const CASE_NUMBER = 'GT-2026-0311';
const EXHIBIT = 'EXH-07';
const VICS_SET = 'unit VICS';
const REFERENCE_SET = 'unit reference files';

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

type Fixture = {
  readonly root: string;
  readonly evidence: string;
  readonly vicsFile: string;
  readonly md5List: string;
  readonly brokenList: string;
  readonly truncatedVics: string;
  remove(): Promise<void>;
};

/** An evidence folder of three files: one in the VICS set, one in the md5 list, one in neither. */
async function makeFixture(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'custos-hashsets-'));
  const evidence = join(root, 'evidence');
  await mkdir(evidence);
  const flagged = Buffer.from('Synthetic stand-in for a listed file: made-up bytes 0x5a17 for the Custos hash-set test.\n');
  const manual = Buffer.from('Printer manual, chapter 1: loading paper. Synthetic reference file.\n');
  const other = Buffer.from('Shopping list: beans, rice, tortillas.\n');
  await writeFile(join(evidence, 'flagged.bin'), flagged);
  await writeFile(join(evidence, 'manual.txt'), manual);
  await writeFile(join(evidence, 'shopping.txt'), other);

  const vicsFile = join(root, 'unit-vics.json');
  await writeFile(
    vicsFile,
    JSON.stringify({
      '@odata.context': 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media',
      value: [{ MediaID: 1, Category: 1, MD5: md5(flagged) }],
    }),
  );
  // md5sum output, with one line that is not a digest: the import keeps the rest and says which line.
  const md5List = join(root, 'reference.md5');
  await writeFile(md5List, `${md5(manual)}  manual.txt\n${md5(Buffer.from('absent file'))}  absent.txt\nnot-a-digest  broken.txt\n`);
  // Nothing in it is a digest: the import fails and leaves the store as it was.
  const brokenList = join(root, 'broken.md5');
  await writeFile(brokenList, 'this is not a hash list\nnor is this\n');
  // A VICS export cut off part-way: its first record reads, then the structure breaks off, so the
  // import fails after it has started and keeps nothing.
  const truncatedVics = join(root, 'truncated-vics.json');
  const whole = JSON.stringify({
    '@odata.context': 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media',
    value: [
      { MediaID: 1, Category: 1, MD5: md5(Buffer.from('one')) },
      { MediaID: 2, Category: 2, MD5: md5(Buffer.from('two')) },
    ],
  });
  await writeFile(truncatedVics, whole.slice(0, whole.lastIndexOf('{') + 12));
  return { root, evidence, vicsFile, md5List, brokenList, truncatedVics, remove: () => rm(root, { recursive: true, force: true }) };
}

async function importSet(page: Page, path: string, name: string, options: { format?: string; kind?: string } = {}): Promise<void> {
  await page.getByLabel('Hash set file').fill(path);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Format').selectOption(options.format ?? 'auto');
  await page.getByLabel('Kind').selectOption(options.kind ?? '');
  await page.getByRole('button', { name: 'Import hash set' }).click();
}

let fixture: Fixture;
test.beforeAll(async () => {
  fixture = await makeFixture();
});
test.afterAll(async () => {
  await fixture.remove();
});

test('import hash sets, ingest, read the triage and a match explained, in English and Spanish', async ({ page, custos }) => {
  test.setTimeout(150_000);
  const pageErrors = collectPageErrors(page);

  await test.step('the hash sets screen starts empty and refuses a relative path', async () => {
    await createFirstAdmin(page, custos.url, PASSPHRASE);
    await page.getByTestId('nav-hashsets').click();
    await expect(page.getByTestId('hashsets-view')).toBeVisible();
    await expect(page.getByTestId('hashsets-empty')).toBeVisible();
    // Browser mode has no system picker: the path is typed.
    await expect(page.getByTestId('hashset-pick')).toHaveCount(0);
    await importSet(page, 'hashsets/unit-vics.json', VICS_SET);
    await expect(page.getByTestId('hashset-import-error')).toContainText('“hashsets/unit-vics.json” is not an absolute path.');
    await screenshot(page, '30-hashsets-empty');
  });

  await test.step('a VICS 2.0 set is imported as an alert set with its entry count', async () => {
    await importSet(page, fixture.vicsFile, VICS_SET);
    const panel = page.getByTestId('hashset-import');
    await expect(panel).toHaveAttribute('data-state', 'done');
    await expect(panel.getByTestId('hashset-import-state')).toHaveText('Done');
    await expect(panel.getByTestId('hashset-import-kept')).toHaveText('1');
    await expect(panel.getByTestId('hashset-import-done')).toContainText(`“${VICS_SET}” is active`);

    const row = page.locator(`[data-testid="hashset-row"][data-hashset-name="${VICS_SET}"]`);
    await expect(row.getByTestId('hashset-entries')).toHaveText('1');
    await expect(row.getByTestId('hashset-kind')).toHaveText('Alert');
    await expect(row.getByTestId('hashset-format')).toHaveText('VICS 2.0');
    await expect(row).toContainText('VICS (United States)');
    await expect(row).toContainText('unit-vics.json');
    await expect(row.getByTestId('hashset-sha256')).toHaveAttribute('title', /^[0-9a-f]{64}$/);
  });

  await test.step('an md5sum list is imported as ignorable; its malformed line is shown with its number', async () => {
    await importSet(page, fixture.md5List, REFERENCE_SET, { format: 'md5', kind: 'ignorable' });
    const panel = page.getByTestId('hashset-import');
    await expect(panel).toHaveAttribute('data-state', 'done');
    await expect(panel.getByTestId('hashset-import-kept')).toHaveText('2');
    await expect(panel.getByTestId('hashset-import-malformed')).toHaveText('1');
    await expect(panel.getByTestId('hashset-import-malformed-lines')).toContainText('Line 3:');

    const row = page.locator(`[data-testid="hashset-row"][data-hashset-name="${REFERENCE_SET}"]`);
    await expect(row.getByTestId('hashset-entries')).toHaveText('2');
    await expect(row.getByTestId('hashset-malformed')).toHaveText('1');
    await expect(row.getByTestId('hashset-kind')).toHaveText('Ignorable');
    await screenshot(page, '31-hashsets-imported');
  });

  await test.step('a file that is not the format named, or breaks off, fails in one line and changes nothing', async () => {
    // Refused before anything is written: the engine reads the first lines.
    await importSet(page, fixture.brokenList, 'broken list', { format: 'md5' });
    await expect(page.getByTestId('hashset-import-error')).toHaveText(/^Import failed: .+\. The store is unchanged\.$/);
    await expect(page.getByTestId('hashset-row')).toHaveCount(2);
    await screenshot(page, '32-hashset-import-refused');

    // Fails part-way: the import panel ends in one line, and the set of that name is not listed.
    await importSet(page, fixture.truncatedVics, 'cut-off VICS');
    const panel = page.getByTestId('hashset-import');
    await expect(panel).toHaveAttribute('data-state', 'failed');
    await expect(panel.getByTestId('hashset-import-state')).toHaveText('Failed');
    await expect(panel.getByTestId('hashset-import-failed')).toHaveText(/^Import failed: .+\. The store is unchanged\.$/);
    await expect(page.getByTestId('hashset-import-error')).toHaveCount(0);
    await expect(page.getByTestId('hashset-row')).toHaveCount(2);
    await expect(page.locator('[data-testid="hashset-row"][data-hashset-name="cut-off VICS"]')).toHaveCount(0);
    await screenshot(page, '32-hashset-import-failed');
  });

  await test.step('ingest the evidence folder into a new case', async () => {
    await page.getByTestId('nav-cases').click();
    await page.getByLabel('Case number').fill(CASE_NUMBER);
    await page.getByLabel('Title').fill('Operación Ceiba — hash-set triage');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByTestId('case-open').filter({ hasText: CASE_NUMBER }).click();
    await expect(page.getByTestId('triage-items')).toHaveText('0');
    await page.getByLabel('Exhibit number').fill(EXHIBIT);
    await page.getByLabel('Description').fill('USB stick, 8 GB, synthetic test data');
    await page.getByRole('button', { name: 'Register exhibit' }).click();
    await page.getByTestId('exhibit-ingest').click();
    const dialog = page.getByTestId('ingest-dialog');
    await dialog.getByLabel('Sources: folders, .zip files or single files').fill(fixture.evidence);
    await dialog.getByRole('button', { name: 'Start ingest' }).click();
    await expect(page.getByTestId('ingest-job').first()).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  });

  await test.step('the triage numbers count one known and one ignorable item', async () => {
    await expect(page.getByTestId('triage-items')).toHaveText('3');
    await expect(page.getByTestId('triage-known')).toHaveText('1');
    await expect(page.getByTestId('triage-ignorable')).toHaveText('1');
    await expect(page.getByTestId('triage-unreviewed')).toHaveText('1');
    await expect(page.getByTestId('triage-reviewed')).toHaveText('0');
    await expect(page.getByTestId('triage-errors')).toHaveText('0');
    const categories = page.getByTestId('triage-by-category');
    await expect(categories.locator('tr[data-category="1"]')).toContainText('1 - Child sexual abuse material');
    await expect(categories.locator('tr[data-category="1"]')).toContainText('1');
    await expect(page.getByTestId('triage-by-method').locator('tr[data-method="md5"]')).toContainText('MD5');
    await expect(page.getByTestId('pdq-threshold-value')).toHaveText(/^\d+ of 256 bits$/);

    await expect(itemRow(page, 'flagged.bin').getByTestId('item-status')).toHaveText('Known');
    await expect(itemRow(page, 'flagged.bin').getByTestId('item-category')).toHaveText('1 - Child sexual abuse material');
    await expect(itemRow(page, 'manual.txt').getByTestId('item-status')).toHaveText('Ignorable');
    await expect(itemRow(page, 'shopping.txt').getByTestId('item-status')).toHaveText('Unreviewed');
    await screenshot(page, '33-case-triage');
  });

  await test.step('match again and change the PDQ threshold', async () => {
    await page.getByRole('button', { name: 'Match again' }).click();
    await expect(page.getByTestId('triage-rematch-notice')).toHaveText(
      'Matching done. Items checked: 3; known: 1; ignorable: 1; status or category changed: 0.',
    );
    await page.getByLabel('Bits that may differ (0 to 128)').fill('200');
    await page.getByRole('button', { name: 'Save threshold' }).click();
    await expect(page.getByTestId('pdq-threshold-error')).toHaveText('Enter a whole number of bits from 0 to 128.');
    await page.getByLabel('Bits that may differ (0 to 128)').fill('24');
    await page.getByRole('button', { name: 'Save threshold' }).click();
    await expect(page.getByTestId('pdq-threshold-notice')).toContainText('The PDQ threshold is now 24.');
    await expect(page.getByTestId('pdq-threshold-value')).toHaveText('24 of 256 bits');
  });

  await test.step('turn blockhash matching on at 10 bits, then off again', async () => {
    const value = page.getByTestId('blockhash-threshold-value');
    const enabled = page.getByLabel('Match on blockhash');
    const bits = page.getByLabel('Bits that may differ in the blockhash (0 to 128)');
    const save = page.getByRole('button', { name: 'Save blockhash setting' });
    // Off by default: PDQ is the perceptual match of record.
    await expect(value).toHaveText('Off');
    await expect(enabled).not.toBeChecked();
    await expect(bits).toBeDisabled();

    await enabled.check();
    await expect(bits).toBeEnabled();
    await bits.fill('129');
    await save.click();
    await expect(page.getByTestId('blockhash-threshold-error')).toHaveText('Enter a whole number of bits from 0 to 128, or turn blockhash matching off.');
    await expect(value).toHaveText('Off');
    await bits.fill('10');
    await save.click();
    await expect(page.getByTestId('blockhash-threshold-notice')).toHaveText(
      'Blockhash matching is on: at most 10 of 256 bits may differ. Use Match again to apply it to the items already in this case.',
    );
    await expect(page.getByTestId('blockhash-threshold-error')).toHaveCount(0);
    await expect(value).toHaveText('10 of 256 bits');
    await expect(page.getByTestId('pdq-threshold-value')).toHaveText('24 of 256 bits');
    await page.getByTestId('triage').scrollIntoViewIfNeeded();
    await screenshot(page, '39-case-thresholds');

    await enabled.uncheck();
    await expect(bits).toBeDisabled();
    // The number stays in the field, ready for when matching is turned on again.
    await expect(bits).toHaveValue('10');
    await save.click();
    await expect(page.getByTestId('blockhash-threshold-notice')).toHaveText(
      'Blockhash matching is off. Use Match again to apply this to the items already in this case.',
    );
    await expect(value).toHaveText('Off');
    await expect(page.getByTestId('pdq-threshold-value')).toHaveText('24 of 256 bits');
  });

  await test.step('the matched item’s detail explains its match in words, with no image', async () => {
    await itemRow(page, 'flagged.bin').getByTestId('item-open').click();
    const detail = page.getByTestId('item-detail');
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId('item-detail-path')).toContainText('flagged.bin');
    await expect(detail.getByTestId('item-detail-status')).toHaveText('Known');
    await expect(detail.getByTestId('item-detail-category')).toHaveText('1 - Child sexual abuse material');
    const match = detail.getByTestId('item-match');
    await expect(match).toHaveCount(1);
    await expect(match.getByTestId('item-match-how')).toHaveText(new RegExp(`^Identical to entry \\d+ of “${VICS_SET}” \\(MD5\\)\\.$`));
    await expect(match.getByTestId('item-match-effect')).toHaveText(`“${VICS_SET}” is an alert set: a match makes the item Known.`);
    await expect(match.getByTestId('item-match-category')).toHaveText('Category in this case: 1 - Child sexual abuse material.');
    await expect(page.locator('img, canvas, video, picture')).toHaveCount(0);
    await screenshot(page, '34-item-detail');

    await itemRow(page, 'shopping.txt').getByTestId('item-open').click();
    await expect(detail.getByTestId('item-no-matches')).toHaveText('This item matched no hash-set entry.');
    await itemRow(page, 'flagged.bin').getByTestId('item-open').click();
    await expect(detail.getByTestId('item-match')).toHaveCount(1);
  });

  await test.step('Spanish explains the same match', async () => {
    await page.getByTestId('lang-es').click();
    const match = page.getByTestId('item-match');
    await expect(match.getByTestId('item-match-how')).toHaveText(new RegExp(`^Idéntico a la entrada \\d+ de “${VICS_SET}” \\(MD5\\)\\.$`));
    await expect(match.getByTestId('item-match-effect')).toHaveText(`“${VICS_SET}” es un conjunto de alerta: una coincidencia marca el elemento como Conocido.`);
    await expect(match.getByTestId('item-match-category')).toHaveText('Categoría en este caso: 1 - Material de abuso sexual infantil.');
    await expect(page.getByRole('heading', { name: 'Triaje' })).toBeVisible();
    await expect(page.getByTestId('triage-by-category')).toContainText('1 - Material de abuso sexual infantil');
    await expect(page.getByTestId('item-detail-status')).toHaveText('Conocido');
    await screenshot(page, '35-spanish-item-detail');
    await page.getByTestId('triage').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('blockhash-threshold')).toContainText('Umbral blockhash');
    await expect(page.getByTestId('blockhash-threshold-value')).toHaveText('Desactivado');
    await screenshot(page, '36-spanish-case-triage');
    // The blockhash form in Spanish, turned on with a number out of range: refused before saving.
    await page.getByLabel('Comparar por blockhash').check();
    await page.getByLabel('Bits del blockhash que pueden diferir (de 0 a 128)').fill('200');
    await page.getByRole('button', { name: 'Guardar configuración de blockhash' }).click();
    await expect(page.getByTestId('blockhash-threshold-error')).toHaveText(
      'Ingrese un número entero de bits entre 0 y 128, o desactive la comparación por blockhash.',
    );
    await expect(page.getByTestId('blockhash-threshold-value')).toHaveText('Desactivado');
    await screenshot(page, '39-spanish-case-thresholds');
    await page.getByLabel('Comparar por blockhash').uncheck();
  });

  await test.step('removing a set, after a confirmation, matches its items again without it', async () => {
    await page.getByTestId('nav-hashsets').click();
    await expect(page.getByRole('heading', { name: 'Conjuntos de hashes', level: 1 })).toBeVisible();
    const row = page.locator(`[data-testid="hashset-row"][data-hashset-name="${REFERENCE_SET}"]`);
    await expect(row.getByTestId('hashset-kind')).toHaveText('Ignorable');
    await screenshot(page, '37-spanish-hashsets');
    await page.getByTestId('lang-en').click();

    await row.getByTestId('hashset-remove').click();
    const confirmation = page.getByRole('group', { name: `Remove hash set “${REFERENCE_SET}”` });
    await expect(confirmation).toContainText('The items it matched are matched again without it');
    await screenshot(page, '38-hashset-confirm-remove');
    await confirmation.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(page.getByTestId('hashset-remove-notice')).toContainText(`Hash set “${REFERENCE_SET}” was removed`);
    await expect(page.getByTestId('hashset-row')).toHaveCount(1);

    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-open').filter({ hasText: CASE_NUMBER }).click();
    await expect(page.getByTestId('triage-known')).toHaveText('1');
    await expect(page.getByTestId('triage-ignorable')).toHaveText('0');
    await expect(page.getByTestId('triage-unreviewed')).toHaveText('2');
  });

  await test.step('an investigator sees the sets and the thresholds but can change none of them', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByLabel('Login name', { exact: true }).fill('bob');
    await page.getByLabel('Role').selectOption('investigator');
    await page.getByTestId('user-add-passphrase').fill(INVESTIGATOR);
    await page.getByTestId('user-add-confirm').fill(INVESTIGATOR);
    await page.getByTestId('user-add-submit').click();
    await expect(page.getByTestId('user-row-bob')).toBeVisible();
    await page.getByTestId('lock-button').click();
    await expect(page.getByTestId('unlock-view')).toBeVisible();
    await page.getByLabel('Login name').fill('bob');
    await page.getByLabel('Passphrase').fill(INVESTIGATOR);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('user-role')).toHaveText('Investigator');

    await page.getByTestId('nav-hashsets').click();
    await expect(page.getByTestId('hashset-row')).toHaveCount(1);
    await expect(page.getByTestId('hashset-remove')).toHaveCount(0);
    await expect(page.getByTestId('hashset-import-form')).toBeVisible();

    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-open').filter({ hasText: CASE_NUMBER }).click();
    await expect(page.getByTestId('pdq-threshold-value')).toHaveText('24 of 256 bits');
    await expect(page.getByTestId('pdq-threshold-form')).toHaveCount(0);
    await expect(page.getByTestId('pdq-threshold')).toContainText('Only supervisors and administrators can change the threshold.');
    await expect(page.getByTestId('blockhash-threshold-value')).toHaveText('Off');
    await expect(page.getByTestId('blockhash-threshold-form')).toHaveCount(0);
    await expect(page.getByTestId('blockhash-threshold')).toContainText('Only supervisors and administrators can change the threshold.');
    await expect(page.getByRole('button', { name: 'Match again' })).toBeEnabled();
  });

  expect(pageErrors).toEqual([]);
});
