// What the PDQ and blockhash thresholds share: both hashes are 256 bits long, and the contract
// takes a whole number of differing bits from 0 to 128 (half the bits different is no likeness).

import type { CaseView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';

export const MAX_THRESHOLD_BITS = 128;

/** What either threshold's block is given. */
export type ThresholdProps = {
  readonly client: ApiClient;
  readonly record: CaseView;
  /** Supervisors and administrators; the engine refuses anyone else. */
  readonly canEdit: boolean;
  readonly onSaved: (record: CaseView) => void;
};

/** The typed number of bits, or null when it is not a whole number from 0 to 128. */
export function parseThresholdBits(value: string): number | null {
  const bits = Number(value);
  if (value.trim() === '' || !Number.isInteger(bits) || bits < 0 || bits > MAX_THRESHOLD_BITS) return null;
  return bits;
}

type BitsInputProps = {
  /** The input's id; its testid is `${id}-input`, and it is described by `${id}-hint` (Field's hint). */
  readonly id: string;
  readonly value: string;
  readonly disabled?: boolean;
  readonly onChange: (value: string) => void;
};

/** The number of bits that may differ, typed. */
export function BitsInput({ id, value, disabled = false, onChange }: BitsInputProps) {
  return (
    <input
      id={id}
      data-testid={`${id}-input`}
      type="number"
      inputMode="numeric"
      min={0}
      max={MAX_THRESHOLD_BITS}
      step={1}
      aria-describedby={`${id}-hint`}
      disabled={disabled}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
