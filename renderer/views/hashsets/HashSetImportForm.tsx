import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HashSetFormatName, HashSetKind, MethodInput } from '../../../electron/api/contract';
import type { PickPaths } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem } from '../../components/validation';
import { isAbsolutePath } from '../ingest/source-paths';
import { FORMATS, IMPORT_SCHEMES, KINDS, isFormat } from './hashset-options';
import { ImportFailed } from './ImportProgress';

type ImportInput = MethodInput<'hashsets.import'>;
type ImportScheme = NonNullable<ImportInput['scheme']>;

type Props = {
  /** The system chooser (Electron); null in browser mode, where the path is typed. */
  readonly pickPaths: PickPaths | null;
  /** An import is running: one at a time from this form. */
  readonly running: boolean;
  /** Starts the import; rejects with the engine's refusal. */
  readonly onStart: (input: ImportInput) => Promise<void>;
};

/** "unit-vics.json" from a path, as a first suggestion for the set's name. */
function baseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? '';
  return file.replace(/\.[^.]+$/, '');
}

/**
 * Names a hash-set file and how to read it. Kind and scheme stay unset unless chosen, so the
 * engine applies its defaults (from the format, and from what the file says).
 */
export function HashSetImportForm({ pickPaths: pick, running, onStart }: Props) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [format, setFormat] = useState<HashSetFormatName>('auto');
  const [kind, setKind] = useState<HashSetKind | ''>('');
  const [scheme, setScheme] = useState<ImportScheme | ''>('');
  const form = useFormAction();

  const choose = () => {
    if (!pick) return;
    pick('file').then((chosen) => {
      const first = chosen[0];
      if (first === undefined) return;
      setPath(first);
      setName((current) => (current.trim() === '' ? baseName(first) : current));
    }, form.fail);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const file = path.trim();
    if (file === '' || name.trim() === '') return form.fail(new ValidationProblem('validation.hashsetFields'));
    if (!isAbsolutePath(file)) return form.fail(new ValidationProblem('validation.hashsetPath', { path: file }));
    void form.run(async () => {
      await onStart({
        path: file,
        name: name.trim(),
        format,
        ...(kind === '' ? {} : { kind }),
        ...(scheme === '' ? {} : { scheme }),
      });
      return null;
    });
  };

  const busy = form.busy || running;
  return (
    <form onSubmit={submit} noValidate className="hashset-form" data-testid="hashset-import-form">
      <div className="span-2">
        <Field id="hashset-path" label={t('hashsets.path')} hint={pick ? t('hashsets.pathHintPicker') : t('hashsets.pathHint')}>
          <div className="input-with-button">
            <input
              id="hashset-path"
              data-testid="hashset-path"
              className="mono"
              spellCheck={false}
              autoCapitalize="none"
              autoComplete="off"
              maxLength={4096}
              placeholder={t('hashsets.pathPlaceholder')}
              aria-describedby="hashset-path-hint"
              value={path}
              onChange={(event) => setPath(event.target.value)}
            />
            {pick && (
              <button type="button" onClick={choose} data-testid="hashset-pick">
                {t('hashsets.choose')}
              </button>
            )}
          </div>
        </Field>
      </div>
      <Field id="hashset-name" label={t('hashsets.name')} hint={t('hashsets.nameHint')}>
        <input
          id="hashset-name"
          data-testid="hashset-name"
          maxLength={200}
          aria-describedby="hashset-name-hint"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </Field>
      <Field id="hashset-format" label={t('hashsets.format')}>
        <select
          id="hashset-format"
          data-testid="hashset-format"
          value={format}
          onChange={(event) => setFormat(isFormat(event.target.value) ? event.target.value : 'auto')}
        >
          {FORMATS.map((code) => (
            <option key={code} value={code}>
              {t(`hashsets.formats.${code}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="hashset-kind" label={t('hashsets.kind')} hint={t('hashsets.kindHint')}>
        <select id="hashset-kind" data-testid="hashset-kind" aria-describedby="hashset-kind-hint" value={kind} onChange={(event) => setKind(event.target.value as HashSetKind | '')}>
          <option value="">{t('hashsets.kindDefault')}</option>
          {KINDS.map((code) => (
            <option key={code} value={code}>
              {t(`hashsets.kinds.${code}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="hashset-scheme" label={t('hashsets.scheme')}>
        <select id="hashset-scheme" data-testid="hashset-scheme" value={scheme} onChange={(event) => setScheme(event.target.value as ImportScheme | '')}>
          <option value="">{t('hashsets.schemeDefault')}</option>
          {IMPORT_SCHEMES.map((code) => (
            <option key={code} value={code}>
              {code === 'none' ? t('hashsets.schemeNone') : t(`schemes.${code}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-actions hashset-submit">
        <button type="submit" className="primary" disabled={busy} data-testid="hashset-import-submit">
          {form.busy ? t('hashsets.starting') : t('hashsets.submit')}
        </button>
      </div>
      <div className="span-all">
        {/* The engine refused the file (missing, not the format named): one line, like a failed import. */}
        {form.error instanceof ApiError && form.error.code === 'bad-input' ? (
          <ImportFailed error={form.error.message} testId="hashset-import-error" />
        ) : (
          <ErrorAlert error={form.error} testId="hashset-import-error" />
        )}
      </div>
    </form>
  );
}
