// The one contract between the renderer and the engine. The renderer imports only the
// types of this file; the engine validates every call against the schemas before it
// reaches the service, so nothing untyped crosses the process boundary.
import { z } from 'zod';

export const ROLES = ['investigator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const SCHEMES = ['vics-us', 'caid-uk'] as const;
export type Scheme = (typeof SCHEMES)[number];

// Login names end up in custody events and key-slot AAD: keep them boring and unambiguous.
const loginName = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'login names are 2-32 characters: a-z, 0-9, dot, dash, underscore, starting with a letter');
const passphrase = z.string().min(8, 'passphrases have at least 8 characters').max(1024);
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

export type UserView = {
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
};

export type CaseView = {
  readonly id: number;
  readonly number: string;
  readonly title: string;
  readonly scheme: Scheme;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly exhibits: number;
};

export type ExhibitView = {
  readonly id: number;
  readonly caseNumber: string;
  readonly number: string;
  readonly description: string;
  readonly seizedBy: string | null;
  readonly seizedAt: string | null;
  readonly seizedFrom: string | null;
  readonly seal: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
};

export type CustodyEventView = {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prev: string;
  readonly hash: string;
};

export type VerifyReport = {
  readonly ok: boolean;
  readonly events: number;
  /** seq of the first event whose hash, link or numbering does not hold; null when the chain verifies. */
  readonly firstBadSeq: number | null;
  readonly reason: string | null;
  /** hash of the last event that verified (64 zeros for an empty log). */
  readonly head: string;
};

export type Settings = {
  /** Minutes without keyboard or pointer activity before the UI locks; 0 turns idle lock off. */
  readonly idleLockMinutes: number;
};

export type StatusView = {
  readonly initialised: boolean;
  readonly unlocked: boolean;
  readonly user: { readonly name: string; readonly role: Role } | null;
  readonly settings: Settings | null;
};

const caseNumber = text(64);

/** Every method: its input schema and the roles allowed to call it (null: no session needed). */
export const methods = {
  'store.status': { input: z.object({}), roles: null },
  'store.init': { input: z.object({ admin: loginName, passphrase }), roles: null },
  'session.unlock': { input: z.object({ user: loginName, passphrase: z.string().min(1).max(1024) }), roles: null },
  'session.lock': { input: z.object({ reason: z.enum(['manual', 'idle']).default('manual') }), roles: ROLES },
  'users.list': { input: z.object({}), roles: ['admin'] },
  'users.add': { input: z.object({ name: loginName, role: z.enum(ROLES), passphrase }), roles: ['admin'] },
  'users.disable': { input: z.object({ name: loginName }), roles: ['admin'] },
  'users.resetPassphrase': { input: z.object({ name: loginName, passphrase }), roles: ['admin'] },
  'users.changePassphrase': {
    input: z.object({ current: z.string().min(1).max(1024), next: passphrase }),
    roles: ROLES,
  },
  'cases.list': { input: z.object({}), roles: ROLES },
  'cases.create': {
    input: z.object({ number: caseNumber, title: text(300), scheme: z.enum(SCHEMES).default('vics-us') }),
    roles: ['investigator', 'supervisor', 'admin'],
  },
  'exhibits.list': { input: z.object({ caseNumber }), roles: ROLES },
  'exhibits.add': {
    input: z.object({
      caseNumber,
      number: text(64),
      description: text(2000),
      seizedBy: optionalText(200),
      seizedAt: z.iso.datetime({ offset: true }).optional(),
      seizedFrom: optionalText(500),
      seal: optionalText(100),
    }),
    roles: ROLES,
  },
  'custody.log': { input: z.object({ since: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(500) }), roles: ROLES },
  'custody.verify': { input: z.object({}), roles: ROLES },
  'settings.get': { input: z.object({}), roles: ROLES },
  'settings.update': { input: z.object({ idleLockMinutes: z.number().int().min(0).max(240) }), roles: ['admin', 'supervisor'] },
} as const satisfies Record<string, { input: z.ZodType; roles: readonly Role[] | null }>;

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>;

export type MethodOutputs = {
  'store.status': StatusView;
  'store.init': StatusView;
  'session.unlock': StatusView;
  'session.lock': StatusView;
  'users.list': readonly UserView[];
  'users.add': UserView;
  'users.disable': UserView;
  'users.resetPassphrase': UserView;
  'users.changePassphrase': UserView;
  'cases.list': readonly CaseView[];
  'cases.create': CaseView;
  'exhibits.list': readonly ExhibitView[];
  'exhibits.add': ExhibitView;
  'custody.log': readonly CustodyEventView[];
  'custody.verify': VerifyReport;
  'settings.get': Settings;
  'settings.update': Settings;
};
export type MethodOutput<M extends MethodName> = MethodOutputs[M];

export const ERROR_CODES = [
  'bad-input',
  'not-initialised',
  'already-initialised',
  'locked',
  'forbidden',
  'bad-credentials',
  'user-disabled',
  'not-found',
  'conflict',
  'keyring-invalid',
  'store-corrupt',
  'store-too-new',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type CallResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Events the engine pushes to every connected renderer. */
export type EngineEvents = {
  'session.changed': StatusView;
};
export type EngineEventName = keyof EngineEvents;
export type EngineEvent = { [E in EngineEventName]: { readonly event: E; readonly payload: EngineEvents[E] } }[EngineEventName];

/** Wire shape of one call, the same over MessagePort and HTTP. */
export type CallRequest = { readonly id?: number; readonly method: MethodName; readonly input: unknown };

/** What the preload exposes as `window.custos` and what the browser-mode client implements. */
export type CustosBridge = {
  call(method: MethodName, input: unknown): Promise<CallResult<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
};
