// The commands of the design doc's CLI section. Each one is a thin client of the engine:
// the same validation, role checks and custody events as the UI gets.
import type { CaseView, CustodyEventView, ExhibitView, StoreCheckReport, UserView, VerifyReport } from '../api/contract.js';
import { call, optional, positional, required, type Command, type CommandContext } from './command.js';
import { CliExit, EXIT, runtimeError, usageError } from './exit.js';
import { hashCommand, ingestCommand, itemsCommand } from './intake-commands.js';
import { matchingCommands } from './matching-commands.js';
import { getPassphrase, readPassphraseFile } from './passphrase.js';
import { table } from './table.js';

/** A new passphrase for someone: --new-passphrase-file, CUSTOS_NEW_PASSPHRASE, or asked twice. */
function newPassphrase(ctx: CommandContext, whose: string): Promise<string> {
  const file = optional(ctx, 'new-passphrase-file');
  if (file !== undefined) return Promise.resolve(readPassphraseFile(file));
  return getPassphrase({
    env: process.env.CUSTOS_NEW_PASSPHRASE,
    file: undefined,
    envName: 'CUSTOS_NEW_PASSPHRASE',
    fileOption: '--new-passphrase-file',
    prompt: `New passphrase for ${whose}`,
    confirm: true,
  });
}

const userRow = (u: UserView) => [u.name, u.role, u.disabled ? 'disabled' : 'active', u.createdBy, u.createdAt];
const caseRow = (c: CaseView) => [c.number, c.title, c.scheme, String(c.exhibits), c.createdBy, c.createdAt];
const exhibitRow = (e: ExhibitView) => [e.number, e.description, e.seizedBy ?? '', e.seizedAt ?? '', e.seizedFrom ?? '', e.seal ?? ''];
const eventLine = (e: CustodyEventView) =>
  `${e.seq}\t${e.time}\t${e.actor}\t${e.action}\t${e.subject}\t${JSON.stringify(e.details)}`;

/** A check's outcome: its summary when it passed; else the report (with --json) and exit 3. */
function checkOutcome(ctx: CommandContext, report: { readonly ok: boolean }, passed: () => string, failed: () => string): void {
  if (report.ok) {
    ctx.out(passed(), report);
    return;
  }
  if (ctx.parsed.global.json) ctx.out('', report);
  throw new CliExit(EXIT.verifyFailed, failed());
}

export const commands: readonly Command[] = [
  {
    words: ['init'],
    usage: 'init --admin NAME',
    options: { admin: { type: 'string' } },
    positionals: [0, 0],
    session: 'init',
    async run(ctx) {
      const admin = required(ctx, 'admin');
      const status = await call(ctx, 'store.init', { admin, passphrase: ctx.passphrase });
      ctx.out(`created Custos store ${ctx.storeDir} with administrator '${admin}'`, status);
    },
  },
  {
    words: ['user', 'add'],
    usage: 'user add NAME --role investigator|supervisor|admin [--new-passphrase-file F]',
    options: { role: { type: 'string' }, 'new-passphrase-file': { type: 'string' } },
    positionals: [1, 1],
    session: 'unlock',
    async run(ctx) {
      const name = positional(ctx);
      const role = required(ctx, 'role');
      const user = await call(ctx, 'users.add', { name, role, passphrase: await newPassphrase(ctx, name) });
      ctx.out(`added user '${user.name}' (${user.role})`, user);
    },
  },
  {
    words: ['user', 'list'],
    usage: 'user list',
    options: {},
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const users = await call(ctx, 'users.list', {});
      ctx.out(table(['NAME', 'ROLE', 'STATUS', 'CREATED BY', 'CREATED AT'], users.map(userRow)), users);
    },
  },
  {
    words: ['user', 'passwd'],
    usage: 'user passwd [NAME] [--new-passphrase-file F]',
    options: { 'new-passphrase-file': { type: 'string' } },
    positionals: [0, 1],
    session: 'unlock',
    async run(ctx) {
      const self = ctx.parsed.global.user ?? '';
      const name = ctx.parsed.positionals[0] ?? self;
      const next = await newPassphrase(ctx, name);
      // Someone else's passphrase is an admin's reset; one's own is a change that proves the old one.
      const user =
        name === self
          ? await call(ctx, 'users.changePassphrase', { current: ctx.passphrase, next })
          : await call(ctx, 'users.resetPassphrase', { name, passphrase: next });
      ctx.out(`passphrase of '${user.name}' changed`, user);
    },
  },
  {
    words: ['user', 'disable'],
    usage: 'user disable NAME',
    options: {},
    positionals: [1, 1],
    session: 'unlock',
    async run(ctx) {
      const user = await call(ctx, 'users.disable', { name: ctx.parsed.positionals[0] });
      ctx.out(`disabled user '${user.name}'`, user);
    },
  },
  {
    words: ['case', 'create'],
    usage: 'case create --number NUM --title TEXT [--scheme vics-us|caid-uk]',
    options: { number: { type: 'string' }, title: { type: 'string' }, scheme: { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const created = await call(ctx, 'cases.create', {
        number: required(ctx, 'number'),
        title: required(ctx, 'title'),
        scheme: optional(ctx, 'scheme'),
      });
      ctx.out(`created case ${created.number}: ${created.title} (${created.scheme})`, created);
    },
  },
  {
    words: ['case', 'list'],
    usage: 'case list',
    options: {},
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const cases = await call(ctx, 'cases.list', {});
      ctx.out(table(['NUMBER', 'TITLE', 'SCHEME', 'EXHIBITS', 'CREATED BY', 'CREATED AT'], cases.map(caseRow)), cases);
    },
  },
  {
    words: ['exhibit', 'add'],
    usage:
      'exhibit add --case NUM --number EXH --description TEXT [--seized-by NAME] [--seized-at ISO] [--seized-from TEXT] [--seal NUM]',
    options: {
      case: { type: 'string' },
      number: { type: 'string' },
      description: { type: 'string' },
      'seized-by': { type: 'string' },
      'seized-at': { type: 'string' },
      'seized-from': { type: 'string' },
      seal: { type: 'string' },
    },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const exhibit = await call(ctx, 'exhibits.add', {
        caseNumber: required(ctx, 'case'),
        number: required(ctx, 'number'),
        description: required(ctx, 'description'),
        seizedBy: optional(ctx, 'seized-by'),
        seizedAt: optional(ctx, 'seized-at'),
        seizedFrom: optional(ctx, 'seized-from'),
        seal: optional(ctx, 'seal'),
      });
      ctx.out(`added exhibit ${exhibit.number} to case ${exhibit.caseNumber}`, exhibit);
    },
  },
  {
    words: ['exhibit', 'list'],
    usage: 'exhibit list --case NUM',
    options: { case: { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const exhibits = await call(ctx, 'exhibits.list', { caseNumber: required(ctx, 'case') });
      ctx.out(table(['NUMBER', 'DESCRIPTION', 'SEIZED BY', 'SEIZED AT', 'SEIZED FROM', 'SEAL'], exhibits.map(exhibitRow)), exhibits);
    },
  },
  {
    words: ['custody', 'log'],
    usage: 'custody log [--since SEQ]',
    options: { since: { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const sinceText = optional(ctx, 'since') ?? '0';
      if (!/^\d+$/.test(sinceText)) throw usageError('--since takes a sequence number');
      const events: CustodyEventView[] = [];
      for (let since = Number(sinceText); ; ) {
        const page = await call(ctx, 'custody.log', { since, limit: 5000 });
        events.push(...page);
        if (page.length < 5000) break;
        since = page[page.length - 1]?.seq ?? since;
      }
      ctx.out(events.map(eventLine).join('\n'), events);
    },
  },
  {
    words: ['custody', 'verify'],
    usage: 'custody verify',
    options: {},
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const report: VerifyReport = await call(ctx, 'custody.verify', {});
      checkOutcome(ctx, report, () => `custody log verifies: ${report.events} events, head ${report.head}`, () => `custody log broken at seq ${report.firstBadSeq}: ${report.reason}`);
    },
  },
  {
    words: ['store', 'check'],
    usage: 'store check',
    options: {},
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const report: StoreCheckReport = await call(ctx, 'store.check', {});
      checkOutcome(
        ctx,
        report,
        () => `store is whole: all ${report.pages} pages read and authenticated`,
        () => `store damaged or altered: ${report.problem ?? 'integrity check failed'}: restore it from a backup`,
      );
    },
  },
  ingestCommand,
  itemsCommand,
  hashCommand,
  ...matchingCommands,
  {
    words: ['serve'],
    usage: 'serve [--port N] [--open]',
    options: { port: { type: 'string' }, open: { type: 'boolean' } },
    positionals: [0, 0],
    session: 'engine',
    async run(ctx) {
      const portText = optional(ctx, 'port') ?? '0';
      if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw usageError('--port takes a number from 0 to 65535');
      // Loaded on demand: the browser-mode server is for development and tests and is left
      // out of the packaged app.
      const { serve } = await import('./serve.js').catch((err: unknown) => {
        if ((err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') throw runtimeError('browser mode is for development and tests; this build does not include it');
        throw err;
      });
      if (!ctx.engine) throw runtimeError('browser mode needs a store');
      await serve({ engine: ctx.engine, port: Number(portText), open: ctx.parsed.options.open === true });
    },
  },
];
