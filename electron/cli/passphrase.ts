// Passphrases never come from argv (they would land in shell history and `ps`): from the
// environment, a file, or a hidden prompt on the terminal.
import { readFileSync } from 'node:fs';
import { usageError } from './exit.js';

export type PassphraseSource = {
  readonly env: string | undefined;
  readonly file: string | undefined;
  readonly envName: string;
  readonly fileOption: string;
  readonly prompt: string;
  /** Ask twice on a terminal (new passphrases). */
  readonly confirm: boolean;
};

export function readPassphraseFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`cannot read passphrase file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  // Only the line ending an editor or `echo` adds is dropped; other whitespace is part of it.
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length === 0) throw usageError(`passphrase file ${path} is empty`);
  return passphrase;
}

export async function getPassphrase(source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) return readPassphraseFile(source.file);
  if (source.env !== undefined && source.env !== '') return source.env;
  if (!process.stdin.isTTY) {
    throw usageError(`no passphrase: set ${source.envName}, use ${source.fileOption} FILE, or run in a terminal`);
  }
  const first = await promptHidden(`${source.prompt}: `);
  if (source.confirm) {
    const second = await promptHidden('Repeat it: ');
    if (first !== second) throw usageError('the two passphrases differ');
  }
  return first;
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(usageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
