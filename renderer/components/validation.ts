// The same limits the engine enforces (contract.ts), checked here first so the message can be
// specific and translated instead of a generic bad-input.
const LOGIN_NAME = /^[a-z][a-z0-9._-]{1,31}$/;
const MIN_PASSPHRASE = 8;

export type ValidationKey =
  | 'validation.required'
  | 'validation.loginName'
  | 'validation.passphraseShort'
  | 'validation.passphraseMismatch'
  | 'validation.idleMinutes'
  | 'validation.exhibitRequired'
  | 'validation.seizedAt'
  | 'validation.pathsRequired'
  | 'validation.pathAbsolute'
  | 'validation.hashsetFields'
  | 'validation.hashsetPath'
  | 'validation.pdqThreshold'
  | 'validation.blockhashThreshold';

export class ValidationProblem extends Error {
  override readonly name = 'ValidationProblem';
  constructor(
    readonly key: ValidationKey,
    /** Interpolated into the message, for example the one path out of many that is wrong. */
    readonly values?: Readonly<Record<string, string>>,
  ) {
    super(key);
  }
}

export function loginNameProblem(name: string): ValidationProblem | null {
  if (name === '') return new ValidationProblem('validation.required');
  return LOGIN_NAME.test(name) ? null : new ValidationProblem('validation.loginName');
}

export function newPassphraseProblem(passphrase: string, confirm: string): ValidationProblem | null {
  if ([...passphrase].length < MIN_PASSPHRASE) return new ValidationProblem('validation.passphraseShort');
  return passphrase === confirm ? null : new ValidationProblem('validation.passphraseMismatch');
}
