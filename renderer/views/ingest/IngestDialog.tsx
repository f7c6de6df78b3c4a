import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExhibitView } from '../../../electron/api/contract';
import type { PickPaths } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormAction } from '../../components/use-form-action';
import { parseSourcePaths, sourcePathsProblem } from './source-paths';

type Props = {
  /** The system chooser (Electron); null in browser mode, where paths are typed. */
  readonly pickPaths: PickPaths | null;
  readonly exhibit: ExhibitView;
  /** Starts the ingest; the dialog stays open with the error if the engine refuses. */
  readonly onStart: (paths: readonly string[]) => Promise<void>;
  readonly onClose: () => void;
};

/**
 * Chooses the sources of one exhibit (folders, .zip files, single files) and starts the ingest.
 * A native modal <dialog>: it traps focus, closes on Escape and gives focus back on close.
 */
export function IngestDialog({ pickPaths: pick, exhibit, onStart, onClose }: Props) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const form = useFormAction();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const add = (kind: 'folder' | 'file') => {
    if (!pick) return;
    pick(kind).then((chosen) => {
      if (chosen.length === 0) return;
      setText((current) => [...parseSourcePaths(current), ...chosen].join('\n'));
    }, form.fail);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const paths = parseSourcePaths(text);
    const problem = sourcePathsProblem(paths);
    if (problem) return form.fail(problem);
    void form.run(async () => {
      await onStart(paths);
      return null;
    });
  };

  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="ingest-dialog-title"
      onCancel={(event) => {
        // Escape closes through React state, so the dialog is unmounted rather than hidden.
        event.preventDefault();
        if (!form.busy) onClose();
      }}
      data-testid="ingest-dialog"
    >
      <form onSubmit={submit} noValidate>
        <h2 id="ingest-dialog-title">{t('ingest.dialogTitle', { number: exhibit.number })}</h2>
        <p className="muted">{exhibit.description}</p>

        <div className="field">
          <label htmlFor="ingest-paths">{t('ingest.paths')}</label>
          <textarea
            id="ingest-paths"
            data-testid="ingest-paths"
            rows={5}
            spellCheck={false}
            autoCapitalize="none"
            autoComplete="off"
            className="mono"
            placeholder={t('ingest.pathsPlaceholder')}
            aria-describedby="ingest-paths-hint"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              // A refusal was about the paths as they were; once they change it no longer applies.
              if (form.error) form.fail(null);
            }}
          />
          <p className="field-hint" id="ingest-paths-hint">
            {pick ? t('ingest.pathsHintPicker') : t('ingest.pathsHint')}
          </p>
        </div>
        {pick && (
          <div className="button-row">
            <button type="button" onClick={() => add('folder')} data-testid="ingest-pick-folder">
              {t('ingest.chooseFolder')}
            </button>
            <button type="button" onClick={() => add('file')} data-testid="ingest-pick-file">
              {t('ingest.chooseFile')}
            </button>
          </div>
        )}
        <p className="readonly-note">{t('ingest.readOnly')}</p>

        <ErrorAlert error={form.error} testId="ingest-error" />

        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={form.busy} data-testid="ingest-cancel">
            {t('ingest.cancel')}
          </button>
          <button type="submit" className="primary" disabled={form.busy} data-testid="ingest-submit">
            {form.busy ? t('ingest.starting') : t('ingest.start')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
