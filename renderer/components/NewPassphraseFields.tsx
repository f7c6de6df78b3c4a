import { Field } from './Field';

type Props = {
  /** Prefix of the two input ids and test ids: `${idPrefix}-passphrase`, `${idPrefix}-confirm`. */
  readonly idPrefix: string;
  readonly passphraseLabel: string;
  readonly confirmLabel: string;
  readonly passphrase: string;
  readonly confirm: string;
  readonly onPassphrase: (value: string) => void;
  readonly onConfirm: (value: string) => void;
};

/** A new passphrase typed twice, so a typo cannot lock someone out of the store. */
export function NewPassphraseFields(props: Props) {
  const passphraseId = `${props.idPrefix}-passphrase`;
  const confirmId = `${props.idPrefix}-confirm`;
  return (
    <>
      <Field id={passphraseId} label={props.passphraseLabel}>
        <input
          id={passphraseId}
          data-testid={passphraseId}
          type="password"
          autoComplete="new-password"
          value={props.passphrase}
          onChange={(event) => props.onPassphrase(event.target.value)}
        />
      </Field>
      <Field id={confirmId} label={props.confirmLabel}>
        <input
          id={confirmId}
          data-testid={confirmId}
          type="password"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(event) => props.onConfirm(event.target.value)}
        />
      </Field>
    </>
  );
}
