// `custos`: the command line of the design doc. stdout carries results (JSON with --json),
// stderr carries progress and the one-line `error: ...`; the exit code says how it went.
import { resolve } from 'node:path';
import { createEngine } from '../api/engine.js';
import { commandWords, parseCommand, type OptionSpec } from './args.js';
import { commands } from './commands.js';
import { callEngine, type Command } from './command.js';
import { CliExit, EXIT, usageError, type ExitCode } from './exit.js';
import { getPassphrase } from './passphrase.js';

const ALL_COMMAND_OPTIONS: OptionSpec = Object.assign({}, ...commands.map((c) => c.options)) as OptionSpec;

function usage(): string {
  return [
    'usage: custos [--store DIR] [--user NAME] [--passphrase-file F] [--json] COMMAND',
    '',
    ...commands.map((c) => `  ${c.usage}`),
    '',
    'Passphrases come from CUSTOS_PASSPHRASE, --passphrase-file or a terminal prompt, never from arguments.',
    'Exit codes: 0 ok, 1 error, 2 usage, 3 verification failed.',
  ].join('\n');
}

function findCommand(words: readonly string[]): Command {
  const match = commands.find((c) => c.words.every((w, i) => words[i] === w));
  if (!match) throw usageError(words.length ? `unknown command '${words.slice(0, 2).join(' ')}' (see custos --help)` : 'no command (see custos --help)');
  return match;
}

function printer(json: boolean): (human: string, value: unknown) => void {
  return (human, value) => {
    const text = json ? JSON.stringify(value, null, 2) : human;
    if (text !== '') process.stdout.write(`${text}\n`);
  };
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  const words = commandWords(argv, ALL_COMMAND_OPTIONS);
  if (words.length === 0 && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(`${usage()}\n`);
    return EXIT.ok;
  }
  const command = findCommand(words);
  const parsed = parseCommand(argv, command.words.length, command.options);
  if (parsed.global.help) {
    process.stdout.write(`usage: custos ${command.usage}\n`);
    return EXIT.ok;
  }
  const [min, max] = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw usageError(`usage: custos ${command.usage}`);
  }
  if (command.session === 'none') {
    await command.run({ parsed, storeDir: '', engine: null, passphrase: '', out: printer(parsed.global.json) });
    return EXIT.ok;
  }
  if (!parsed.global.store) throw usageError('no store: pass --store DIR or set CUSTOS_STORE');
  const storeDir = resolve(parsed.global.store);

  let passphrase = '';
  if (command.session !== 'engine') {
    if (command.session === 'unlock' && !parsed.global.user) throw usageError('no user: pass --user NAME or set CUSTOS_USER');
    passphrase = await getPassphrase({
      env: process.env.CUSTOS_PASSPHRASE,
      file: parsed.global.passphraseFile,
      envName: 'CUSTOS_PASSPHRASE',
      fileOption: '--passphrase-file',
      prompt: command.session === 'init' ? 'Passphrase for the new administrator' : `Passphrase for ${parsed.global.user}`,
      confirm: command.session === 'init',
    });
  }

  const engine = createEngine({ storeDir });
  try {
    if (command.session === 'unlock') await callEngine(engine, 'session.unlock', { user: parsed.global.user, passphrase });
    await command.run({ parsed, storeDir, engine, passphrase, out: printer(parsed.global.json) });
    return EXIT.ok;
  } finally {
    const status = await engine.call('store.status', {});
    if (status.ok && status.value.unlocked) await engine.call('session.lock', { reason: 'manual' });
    await engine.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliExit) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.error;
    }
  },
);
