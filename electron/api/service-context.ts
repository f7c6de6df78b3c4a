import type { IngestRun } from '../intake/ingest.js';
import type { HashSetImportRun } from '../matching/hashset-import.js';
import type { OpenStore } from '../store/store.js';
import { CustosError } from '../store/errors.js';
import { findCase } from '../store/repositories/cases.js';
import type { CaseView, EngineEvent, MethodName, MethodOutput, ParsedInput } from './contract.js';

export type ServiceContext = {
  readonly storeDir: string;
  session: OpenStore | null;
  /** Ingest jobs running in the background of this engine, by job id. */
  readonly runs: Map<number, IngestRun>;
  /** Hash-set imports started in this engine, by import id (kept for their final report). */
  readonly imports: Map<number, HashSetImportRun>;
  readonly emit: (event: EngineEvent) => void;
};

type Handler<M extends MethodName> = (ctx: ServiceContext, input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { readonly [M in MethodName]: Handler<M> };

/** The open store of this session; every handler that needs one starts here. */
export function openSession(ctx: ServiceContext): OpenStore {
  if (!ctx.session) throw new CustosError('locked', 'the store is locked: unlock it first');
  return ctx.session;
}

export function caseNamed(s: OpenStore, number: string): CaseView {
  const found = findCase(s.db, number);
  if (!found) throw new CustosError('not-found', `no case '${number}'`);
  return found;
}
