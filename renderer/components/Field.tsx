import type { ReactNode } from 'react';

type Props = {
  readonly id: string;
  readonly label: string;
  /** Shown under the control; the control should point at `${id}-hint` with aria-describedby. */
  readonly hint?: string;
  readonly children: ReactNode;
};

export function Field({ id, label, hint, children }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
