import { makeEvidenceFolder, type EvidenceFolder } from './helpers/evidence-folder.js';
import { expect, test } from './helpers/fixtures.js';
import { screenshot } from './helpers/screenshots.js';
import { collectPageErrors, createFirstAdmin, itemRow } from './helpers/workspace.js';

const PASSPHRASE = 'intake test passphrase';
const CASE_NUMBER = 'GT-2026-0107';
const CASE_TITLE = 'Operación Ceiba — seized laptop';
const EXHIBIT = 'EXH-01';

let evidence: EvidenceFolder;
test.beforeAll(async () => {
  evidence = await makeEvidenceFolder();
});
test.afterAll(async () => {
  await evidence.remove();
});

test('open a case, register an exhibit, ingest a folder, list its items, then Spanish', async ({ page, custos }) => {
  // Analysis of a first ingest loads the worker pool; give the whole walk-through room.
  test.setTimeout(120_000);
  const pageErrors = collectPageErrors(page);

  await test.step('create a case and open it from the list', async () => {
    await createFirstAdmin(page, custos.url, PASSPHRASE);
    await page.getByLabel('Case number').fill(CASE_NUMBER);
    await page.getByLabel('Title').fill(CASE_TITLE);
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByTestId('case-open').filter({ hasText: CASE_NUMBER }).click();
    await expect(page.getByTestId('case-view')).toBeVisible();
    await expect(page.getByTestId('case-number')).toHaveText(CASE_NUMBER);
    await expect(page.getByTestId('case-title')).toHaveText(CASE_TITLE);
    await expect(page.getByTestId('case-scheme')).toHaveText('VICS (United States)');
    await expect(page.getByTestId('exhibits-empty')).toBeVisible();
    await expect(page.getByTestId('ingest-jobs-empty')).toBeVisible();
    await expect(page.getByTestId('items-empty')).toBeVisible();
    await screenshot(page, '20-case-empty');
  });

  await test.step('register an exhibit with its seizure record', async () => {
    await page.getByRole('button', { name: 'Register exhibit' }).click();
    await expect(page.getByTestId('exhibit-add-error')).toHaveText('Enter at least the exhibit number and a description.');

    await page.getByLabel('Exhibit number').fill(EXHIBIT);
    await page.getByLabel('Description').fill('Laptop, grey, serial 5CD1234XYZ, 512 GB SSD');
    await page.getByLabel('Seized by').fill('Insp. M. López');
    await page.getByLabel('Date and time of seizure').fill('2026-03-01T14:30');
    await page.getByLabel('Seized from (place or person)').fill('Residence, zona 11, Guatemala City');
    await page.getByLabel('Seal number').fill('SEAL-000481');
    await page.getByRole('button', { name: 'Register exhibit' }).click();
    await expect(page.getByTestId('exhibit-add-notice')).toHaveText(`Exhibit ${EXHIBIT} was registered.`);

    const row = page.locator(`[data-testid="exhibit-row"][data-exhibit-number="${EXHIBIT}"]`);
    await expect(row).toContainText('Insp. M. López');
    await expect(row).toContainText('SEAL-000481');
    // Entered as Guatemala wall-clock time (the browser's zone), shown back in the same zone.
    await expect(row.locator('time')).toHaveAttribute('datetime', '2026-03-01T14:30:00-06:00');
    await expect(row.locator('time')).toHaveText(/Mar 1, 2026.*2:30\s?PM/);
    await screenshot(page, '21-exhibit-registered');
  });

  await test.step('the ingest dialog refuses paths it cannot use, in the dialog', async () => {
    await page.getByTestId('exhibit-ingest').click();
    const dialog = page.getByRole('dialog', { name: `Ingest evidence into exhibit ${EXHIBIT}` });
    await expect(dialog).toBeVisible();
    // Browser mode has no system picker: paths are typed, with the hint that says so.
    await expect(dialog.getByTestId('ingest-pick-folder')).toHaveCount(0);
    await expect(dialog).toContainText('Type or paste absolute paths, one per line.');
    await expect(dialog).toContainText('read-only');

    await dialog.getByLabel('Sources: folders, .zip files or single files').fill('evidence/relative');
    await dialog.getByRole('button', { name: 'Start ingest' }).click();
    await expect(dialog.getByRole('alert')).toContainText('“evidence/relative” is not an absolute path.');

    await dialog.getByLabel('Sources: folders, .zip files or single files').fill(`${evidence.root}/does-not-exist`);
    await dialog.getByRole('button', { name: 'Start ingest' }).click();
    const refused = dialog.getByRole('alert');
    await expect(refused).toContainText('Some of the information entered is not valid.');
    await expect(refused).toContainText('does-not-exist');
    await screenshot(page, '22-ingest-dialog-refused');
  });

  await test.step('ingest the generated folder and watch it finish', async () => {
    const dialog = page.getByTestId('ingest-dialog');
    await dialog.getByLabel('Sources: folders, .zip files or single files').fill(evidence.root);
    await screenshot(page, '23-ingest-dialog-filled');
    await dialog.getByRole('button', { name: 'Start ingest' }).click();
    await expect(page.getByTestId('ingest-dialog')).toHaveCount(0);

    const job = page.getByTestId('ingest-job').first();
    await expect(job).toBeVisible();
    await screenshot(page, '24-ingest-running');
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
    await expect(job.getByTestId('ingest-phase')).toHaveText('Done');
    const total = String(evidence.expectedItems);
    await expect(job.getByTestId('ingest-summary')).toContainText(`Done: ${total} of ${total} files`);
    await expect(job.getByTestId('ingest-summary')).toContainText('1 with errors');
    await expect(page.getByTestId('ingest-announcement')).toHaveText(/exhibit EXH-01: Done/);
  });

  await test.step('the item list shows every file and zip entry with its digests, and no image', async () => {
    await expect(page.getByTestId('items-total')).toHaveAttribute('data-total', String(evidence.expectedItems));
    await expect(page.getByTestId('items-total')).toHaveText(`${evidence.expectedItems} items`);
    await expect(page.getByTestId('item-row')).toHaveCount(evidence.expectedItems);

    const notes = itemRow(page, 'documents/notes.txt');
    await expect(notes.getByTestId('item-md5')).toHaveAttribute('title', evidence.textFile.md5);
    await expect(notes.getByTestId('item-md5')).toHaveText(`${evidence.textFile.md5.slice(0, 12)}…`);
    await expect(notes).toContainText('text/plain');
    await expect(notes.getByTestId('item-status')).toHaveText('Unreviewed');

    const gradient = itemRow(page, 'images/gradient.png');
    await expect(gradient.getByTestId('item-md5')).toHaveAttribute('title', evidence.imageFile.md5);
    await expect(gradient).toContainText('image/png');
    // Type comes from the bytes: the JPEG named .txt is a JPEG.
    await expect(itemRow(page, 'images/not-really.txt')).toContainText('image/jpeg');
    await expect(itemRow(page, 'archive.zip!/inside/readme.txt')).toContainText('text/plain');
    await expect(itemRow(page, 'empty.bin')).toContainText('0 B');
    // A damaged file is listed with its digests and a short error marker; the engine's text is in the title.
    const damaged = itemRow(page, evidence.damagedFile);
    await expect(damaged.getByTestId('item-error')).toContainText('Error');
    await expect(damaged.getByTestId('item-error')).toHaveAttribute('title', /\S/);
    await expect(damaged.getByTestId('item-md5')).toHaveAttribute('title', /^[0-9a-f]{32}$/);
    await expect(page.getByTestId('item-error')).toHaveCount(1);

    // The intake list never shows what an item looks like.
    await expect(page.getByTestId('items').locator('img')).toHaveCount(0);
    await expect(page.locator('img')).toHaveCount(0);
    await screenshot(page, '25-items-listed');

    await page.getByLabel('Show').selectOption('known');
    await expect(page.getByTestId('items-empty')).toHaveText('No items with this status.');
    await page.getByLabel('Show').selectOption('unreviewed');
    await expect(page.getByTestId('items-total')).toHaveAttribute('data-total', String(evidence.expectedItems));
    await page.getByLabel('Show').selectOption('');
    await expect(page.getByTestId('item-row')).toHaveCount(evidence.expectedItems);
  });

  await test.step('Spanish labels the whole case view', async () => {
    await page.getByTestId('lang-es').click();
    await expect(page.getByTestId('case-back')).toHaveText('← Todos los casos');
    await expect(page.getByRole('heading', { name: 'Evidencias' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Registrar una evidencia' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Número de evidencia' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Fecha y hora de incautación' })).toBeVisible();
    await expect(page.getByTestId('exhibit-ingest')).toHaveText('Procesar evidencia…');
    await expect(page.getByRole('heading', { name: 'Procesamientos' })).toBeVisible();
    await expect(page.getByTestId('ingest-phase')).toHaveText('Finalizado');
    await expect(page.getByTestId('ingest-summary')).toContainText(`Finalizado: ${evidence.expectedItems} de ${evidence.expectedItems} archivos`);
    await expect(page.getByRole('heading', { name: 'Elementos' })).toBeVisible();
    await expect(page.getByTestId('items-total')).toHaveText(`${evidence.expectedItems} elementos`);
    await expect(page.getByRole('columnheader', { name: 'Ruta' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Tamaño' })).toBeVisible();
    await expect(page.getByTestId('item-status').first()).toHaveText('Sin revisar');
    await expect(page.getByLabel('Mostrar')).toBeVisible();
    await screenshot(page, '26-spanish-case');

    await page.getByTestId('exhibit-ingest').click();
    const dialog = page.getByRole('dialog', { name: `Procesar el contenido de la evidencia ${EXHIBIT}` });
    await expect(dialog).toContainText('Escriba o pegue rutas absolutas, una por línea.');
    await expect(dialog.getByRole('button', { name: 'Iniciar procesamiento' })).toBeVisible();
    await screenshot(page, '27-spanish-ingest-dialog');
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await expect(page.getByTestId('ingest-dialog')).toHaveCount(0);

    await page.getByTestId('case-back').click();
    await expect(page.getByTestId('cases-view')).toBeVisible();
  });

  expect(pageErrors).toEqual([]);
});
