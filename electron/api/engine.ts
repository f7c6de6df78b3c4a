// The engine behind every transport (Electron utility process, browser-mode server, CLI):
// validates input against the contract, checks the caller's role, runs one call at a time
// (there is one SQL writer) and never throws: every outcome is a CallResult.
import {
  methods,
  type CallResult,
  type EngineEvent,
  type ErrorCode,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
} from './contract.js';
import { CustosError } from '../store/errors.js';
import { asStoreError } from '../store/database.js';
import { closeStore } from '../store/store.js';
import { appendEvent } from '../custody/log.js';
import { handlers, status, type ServiceContext } from './service.js';
import { stopAllIngests } from './ingest-service.js';
import { stopAllImports } from './matching-service.js';

export type Engine = {
  call<M extends MethodName>(method: M, input: unknown): Promise<CallResult<MethodOutput<M>>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Stops running work, records a lock if a session is open, closes the store. */
  dispose(): Promise<void>;
};

export type EngineOptions = { readonly storeDir: string };

const SESSION_METHODS: ReadonlySet<MethodName> = new Set(['store.init', 'session.unlock', 'session.lock']);

function isMethod(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

function failure(code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message };
}

function toFailure(err: unknown, storeDir: string): { ok: false; code: ErrorCode; message: string } {
  const mapped = asStoreError(err, storeDir);
  if (mapped instanceof CustosError) return failure(mapped.code, mapped.message);
  const sqliteCode = (err as { code?: unknown }).code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
    return failure('conflict', (err as Error).message);
  }
  return failure('internal', err instanceof Error ? err.message : String(err));
}

export function createEngine(options: EngineOptions): Engine {
  const listeners = new Set<(event: EngineEvent) => void>();
  const ctx: ServiceContext = {
    storeDir: options.storeDir,
    session: null,
    runs: new Map(),
    imports: new Map(),
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  async function run<M extends MethodName>(method: M, input: unknown): Promise<CallResult<MethodOutput<M>>> {
    if (disposed) return failure('internal', 'the engine has shut down');
    if (!isMethod(method)) return failure('bad-input', `unknown method '${String(method)}'`);
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return failure('bad-input', `${where}${issue?.message ?? 'invalid input'}`);
    }
    const roles: readonly string[] | null = spec.roles;
    if (roles) {
      if (!ctx.session) return failure('locked', 'the store is locked: unlock it first');
      if (!roles.includes(ctx.session.user.role)) {
        return failure('forbidden', `'${method}' needs the role ${roles.join(' or ')}; '${ctx.session.user.name}' is ${ctx.session.user.role}`);
      }
    }
    try {
      const handler = handlers[method] as (c: ServiceContext, i: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
      const value = await handler(ctx, parsed.data as ParsedInput<M>);
      if (SESSION_METHODS.has(method)) ctx.emit({ event: 'session.changed', payload: status(ctx) });
      return { ok: true, value };
    } catch (err) {
      return toFailure(err, ctx.storeDir);
    }
  }

  return {
    call(method, input) {
      const result = queue.then(() => run(method, input));
      queue = result.catch(() => undefined);
      return result;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      await stopAllIngests(ctx, 'shutdown');
      await stopAllImports(ctx, 'shutdown');
      // A clean shutdown with a session open is a lock like any other, and is recorded as one.
      const s = ctx.session;
      if (s) {
        try {
          s.db.transaction(() => appendEvent(s.db, { actor: s.user.name, action: 'session.lock', subject: `user/${s.user.name}`, details: { reason: 'shutdown' } }))();
        } finally {
          closeStore(s);
        }
      }
      ctx.session = null;
      listeners.clear();
    },
  };
}
