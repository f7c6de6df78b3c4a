// Argument parsing: global options may stand before or after the command words, so the
// command is found first (positionals) and then everything is parsed strictly against the
// global options plus that command's own.
import { parseArgs } from 'node:util';
import { usageError } from './exit.js';

export type OptionSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

export const GLOBAL_OPTIONS = {
  store: { type: 'string' },
  user: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const satisfies OptionSpec;

export type GlobalOptions = {
  readonly store: string | undefined;
  readonly user: string | undefined;
  readonly passphraseFile: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
};

export type Parsed = {
  readonly words: readonly string[];
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly global: GlobalOptions;
};

/** First pass: the positional words, whatever the options (to find the command). */
export function commandWords(argv: readonly string[], commandOptions: OptionSpec): string[] {
  const { positionals } = parseArgs({ args: [...argv], options: { ...commandOptions, ...GLOBAL_OPTIONS }, strict: false, allowPositionals: true });
  return positionals;
}

export function parseCommand(argv: readonly string[], wordCount: number, commandOptions: OptionSpec): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...commandOptions, ...GLOBAL_OPTIONS }, strict: true, allowPositionals: true });
  } catch (err) {
    throw usageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return {
    words: parsed.positionals.slice(0, wordCount),
    positionals: parsed.positionals.slice(wordCount),
    options: values,
    global: {
      store: str('store') ?? process.env.CUSTOS_STORE,
      user: str('user') ?? process.env.CUSTOS_USER,
      passphraseFile: str('passphrase-file'),
      json: values.json === true,
      help: values.help === true,
    },
  };
}
