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
  /** PDQ distance at or below which an item matches a hash-set entry in this case. */
  readonly pdqThreshold: number;
  /** Blockhash distance at or below which an item matches; null: blockhash matching is off (the default). */
  readonly blockhashThreshold: number | null;
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

/** Every page of the store read, and so authenticated (SQLCipher checks a page when it reads it). */
export type StoreCheckReport = {
  readonly ok: boolean;
  readonly pages: number;
  /** The first problem SQLite reports; null when the store is whole. */
  readonly problem: string | null;
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

export type IngestPhase = 'walking' | 'analysing' | 'stopped' | 'done';

export type IngestProgress = {
  readonly jobId: number;
  readonly phase: IngestPhase;
  /** Items known so far: grows while folders are walked and archives are opened. */
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly errors: number;
  readonly filesPerSecond: number;
  readonly bytesPerSecond: number;
  /** Seconds left at the current byte rate; null until a rate is known. */
  readonly etaSeconds: number | null;
  readonly elapsedMs: number;
};

export type SourceView = {
  readonly id: number;
  readonly path: string;
  readonly kind: 'folder' | 'file';
  readonly size: number | null;
  readonly mtime: string | null;
  readonly walked: boolean;
  readonly files: number;
  readonly symlinks: number;
  readonly specials: number;
  readonly errors: number;
};

export type IngestJobView = {
  readonly id: number;
  readonly caseNumber: string;
  readonly exhibitNumber: string;
  readonly state: 'running' | 'stopped' | 'done';
  readonly startedAt: string;
  readonly startedBy: string;
  readonly finishedAt: string | null;
  readonly sources: readonly SourceView[];
  readonly progress: IngestProgress;
};

export const ITEM_STATUSES = ['known', 'ignorable', 'unreviewed', 'reviewed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export type ExifView = {
  readonly make: string | null;
  readonly model: string | null;
  readonly dateTimeOriginal: string | null;
  readonly gps: { readonly lat: number; readonly lon: number } | null;
};

export type MatchView = {
  readonly hashset: string;
  readonly method: 'md5' | 'sha1' | 'sha256' | 'pdq' | 'blockhash';
  readonly distance: number;
  readonly category: string | null;
};

/** The Item JSON of the design doc, field for field. */
export type ItemView = {
  readonly id: number;
  readonly exhibit: string;
  readonly path: string;
  readonly size: number | null;
  readonly mime: string | null;
  readonly md5: string | null;
  readonly sha1: string | null;
  readonly sha256: string | null;
  readonly pdq: string | null;
  readonly pdqQuality: number | null;
  readonly blockhash: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly exif: ExifView | null;
  readonly matches: readonly MatchView[];
  readonly category: string | null;
  readonly status: ItemStatus;
  readonly error: string | null;
};

export type ItemPage = { readonly total: number; readonly items: readonly ItemView[] };

export const HASHSET_KINDS = ['alert', 'ignorable'] as const;
export type HashSetKind = (typeof HASHSET_KINDS)[number];
export const HASHSET_FORMATS = ['auto', 'vics', 'nsrl', 'md5', 'sha1', 'sha256', 'pdq', 'encase', 'hashkeeper', 'icse', 'csv'] as const;
export type HashSetFormatName = (typeof HASHSET_FORMATS)[number];
export const HASHSET_SCHEMES = [...SCHEMES, 'none'] as const;

/** `hashset list --json`, field for field (plus the format version). */
export type HashSetView = {
  readonly id: number;
  readonly name: string;
  readonly format: string;
  readonly version: string | null;
  readonly kind: HashSetKind;
  readonly scheme: string;
  readonly entries: number;
  readonly malformed: number;
  readonly sourceFile: string;
  readonly sourceSha256: string;
  readonly importedAt: string;
  readonly importedBy: string;
};

export type HashSetImportView = {
  readonly importId: number;
  readonly name: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly bytesTotal: number;
  readonly bytesDone: number;
  /** Entries read so far (before removing duplicates). */
  readonly entriesRead: number;
  readonly malformed: number;
  /** The first malformed lines or records, with their line (or record) numbers. */
  readonly firstMalformed: readonly { readonly line: number; readonly reason: string }[];
  readonly elapsedMs: number;
  readonly error: string | null;
  readonly hashset: HashSetView | null;
};

/** Case triage numbers: what matching has settled and what is left for reviewers. */
export type TriageView = {
  readonly items: number;
  readonly known: number;
  readonly ignorable: number;
  readonly unreviewed: number;
  readonly reviewed: number;
  readonly errors: number;
  readonly knownByCategory: readonly { readonly category: string | null; readonly items: number }[];
  readonly byMethod: readonly { readonly method: MatchView['method']; readonly items: number }[];
  readonly byExhibit: readonly { readonly exhibit: string; readonly items: number; readonly known: number; readonly ignorable: number }[];
};

export type RematchReport = {
  readonly caseNumber: string;
  readonly items: number;
  readonly known: number;
  readonly ignorable: number;
  /** Items whose status or category changed. */
  readonly changed: number;
};

/** One match of an item explained: which set, which entry, how, how close, which orientation. */
export type MatchExplanation = {
  readonly hashset: string;
  readonly kind: HashSetKind;
  readonly entryId: number;
  readonly method: MatchView['method'];
  readonly distance: number;
  /** PDQ: the item's dihedral variant that matched (original, rot90, ..., flipMinus1). */
  readonly orientation: string | null;
  /** The entry's category in the set's own scheme, and as carried into the case's scheme. */
  readonly setCategory: number | null;
  readonly setScheme: string;
  readonly category: string | null;
  readonly series: string | null;
  readonly victimIdentified: boolean | null;
  readonly hasPhotoDna: boolean;
  /** The entry's hash the item matched, hex. */
  readonly entryHash: string | null;
};

export type ItemExplanation = { readonly item: ItemView; readonly matches: readonly MatchExplanation[] };

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
  'ingest.start': {
    input: z.object({
      caseNumber,
      exhibitNumber: text(64),
      paths: z.array(z.string().min(1).max(4096)).min(1).max(256),
      threads: z.number().int().min(1).max(64).optional(),
    }),
    roles: ['investigator', 'supervisor', 'admin'],
  },
  'ingest.status': { input: z.object({ jobId: z.number().int().min(1) }), roles: ROLES },
  'ingest.list': { input: z.object({ caseNumber }), roles: ROLES },
  'ingest.stop': { input: z.object({ jobId: z.number().int().min(1) }), roles: ['investigator', 'supervisor', 'admin'] },
  'items.list': {
    input: z.object({
      caseNumber,
      status: z.enum(ITEM_STATUSES).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).default(200),
    }),
    roles: ROLES,
  },
  'items.explain': { input: z.object({ itemId: z.number().int().min(1) }), roles: ROLES },
  'cases.triage': { input: z.object({ caseNumber }), roles: ROLES },
  'cases.rematch': { input: z.object({ caseNumber }), roles: ['investigator', 'supervisor', 'admin'] },
  'cases.setPdqThreshold': { input: z.object({ caseNumber, threshold: z.number().int().min(0).max(128) }), roles: ['supervisor', 'admin'] },
  'cases.setBlockhashThreshold': { input: z.object({ caseNumber, threshold: z.number().int().min(0).max(128).nullable() }), roles: ['supervisor', 'admin'] },
  'hashsets.list': { input: z.object({}), roles: ROLES },
  'hashsets.import': {
    input: z.object({
      path: z.string().min(1).max(4096),
      name: text(200),
      format: z.enum(HASHSET_FORMATS).default('auto'),
      kind: z.enum(HASHSET_KINDS).optional(),
      scheme: z.enum(HASHSET_SCHEMES).optional(),
    }),
    roles: ['investigator', 'supervisor', 'admin'],
  },
  'hashsets.importStatus': { input: z.object({ importId: z.number().int().min(1) }), roles: ROLES },
  'hashsets.remove': { input: z.object({ name: text(200) }), roles: ['supervisor', 'admin'] },
  'custody.log': { input: z.object({ since: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(500) }), roles: ROLES },
  'custody.verify': { input: z.object({}), roles: ROLES },
  'store.check': { input: z.object({}), roles: ROLES },
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
  'ingest.start': IngestJobView;
  'ingest.status': IngestJobView;
  'ingest.list': readonly IngestJobView[];
  'ingest.stop': IngestJobView;
  'items.list': ItemPage;
  'items.explain': ItemExplanation;
  'cases.triage': TriageView;
  'cases.rematch': RematchReport;
  'cases.setPdqThreshold': CaseView;
  'cases.setBlockhashThreshold': CaseView;
  'hashsets.list': readonly HashSetView[];
  'hashsets.import': HashSetImportView;
  'hashsets.importStatus': HashSetImportView;
  'hashsets.remove': HashSetView;
  'custody.log': readonly CustodyEventView[];
  'custody.verify': VerifyReport;
  'store.check': StoreCheckReport;
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
  'ingest.progress': IngestProgress;
  'ingest.finished': IngestJobView;
  'hashset.progress': HashSetImportView;
  'hashset.finished': HashSetImportView;
};
export type EngineEventName = keyof EngineEvents;
export type EngineEvent = { [E in EngineEventName]: { readonly event: E; readonly payload: EngineEvents[E] } }[EngineEventName];

/** Wire shape of one call, the same over MessagePort and HTTP. */
export type CallRequest = { readonly id?: number; readonly method: MethodName; readonly input: unknown };

/** What the preload exposes as `window.custos` and what the browser-mode client implements. */
export type CustosBridge = {
  call(method: MethodName, input: unknown): Promise<CallResult<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Electron only: the system dialog for choosing sources to ingest. Browser mode has none (paths are typed). */
  pickPaths?(kind: 'folder' | 'file'): Promise<readonly string[]>;
};
