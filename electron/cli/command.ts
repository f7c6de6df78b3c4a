// What a command is and the small helpers every command uses to read its options.
import type { MethodName, MethodOutput } from '../api/contract.js';
import type { Engine } from '../api/engine.js';
import type { OptionSpec, Parsed } from './args.js';
import { runtimeError, usageError } from './exit.js';

export type CommandContext = {
  readonly parsed: Parsed;
  readonly storeDir: string;
  /** null for commands that need no store. */
  readonly engine: Engine | null;
  /** The passphrase the session was opened with (commands that re-check it). */
  readonly passphrase: string;
  readonly out: (human: string, json: unknown) => void;
};

export type Command = {
  readonly words: readonly string[];
  readonly usage: string;
  readonly options: OptionSpec;
  readonly positionals: readonly [min: number, max: number];
  /** 'unlock': open the store as --user first; 'init': creates it; 'engine': a locked engine on the store; 'none': no store at all. */
  readonly session: 'unlock' | 'init' | 'engine' | 'none';
  /** Resolves on success; throws CliExit for any other outcome. */
  readonly run: (ctx: CommandContext) => Promise<void>;
};

export async function callEngine<M extends MethodName>(engine: Engine, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await engine.call(method, input);
  if (result.ok) return result.value;
  throw result.code === 'bad-input' ? usageError(result.message) : runtimeError(result.message);
}

export function call<M extends MethodName>(ctx: CommandContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  if (!ctx.engine) throw runtimeError(`${method} needs a store`);
  return callEngine(ctx.engine, method, input);
}

export function required(ctx: CommandContext, name: string): string {
  const value = ctx.parsed.options[name];
  if (typeof value !== 'string' || value === '') throw usageError(`--${name} is required`);
  return value;
}

export function positional(ctx: CommandContext): string {
  const value = ctx.parsed.positionals[0];
  if (value === undefined) throw usageError('a name is required');
  return value;
}

export function optional(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.parsed.options[name];
  return typeof value === 'string' ? value : undefined;
}

