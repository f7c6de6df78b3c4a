// `custos hashset import|list|remove`, `case rematch`, `case set`, `explain` and `report`:
// hash sets and what matching made of a case.
import { resolve } from 'node:path';
import type { HashSetImportView, HashSetView, MatchExplanation, TriageView } from '../api/contract.js';
import { call, optional, positional, required, type Command } from './command.js';
import { runtimeError, usageError } from './exit.js';
import { formatBytes, formatDuration } from './progress-bar.js';
import { table } from './table.js';

const setRow = (h: HashSetView) => [h.name, h.kind, h.format, h.version ?? '', h.scheme, String(h.entries), String(h.malformed), h.importedBy, h.importedAt];

function importLine(v: HashSetImportView): string {
  const seconds = v.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(v.entriesRead / seconds) : 0;
  const head = v.hashset
    ? `imported '${v.name}': ${v.hashset.entries} entries (${v.entriesRead} read), ${v.malformed} malformed, ${v.hashset.kind}, scheme ${v.hashset.scheme}`
    : `import of '${v.name}' ${v.state}`;
  const lines = [`${head}, in ${formatDuration(seconds)} (${rate} entries/s)`];
  for (const m of v.firstMalformed) lines.push(`  malformed line ${m.line}: ${m.reason}`);
  if (v.malformed > v.firstMalformed.length) lines.push(`  ... and ${v.malformed - v.firstMalformed.length} more`);
  return lines.join('\n');
}

function explainLine(m: MatchExplanation): string {
  const how = m.method === 'pdq' ? `PDQ at distance ${m.distance}${m.orientation && m.orientation !== 'original' ? ` (${m.orientation})` : ''}` : `${m.method.toUpperCase()} identical`;
  const category = m.setCategory === null ? 'no category' : `category ${m.setCategory} (${m.setScheme})${m.category === null ? ', not carried into the case scheme' : ` -> ${m.category}`}`;
  return `  ${m.hashset} [${m.kind}] entry ${m.entryId}: ${how}, ${category}${m.series ? `, series ${m.series}` : ''}`;
}

function triageText(caseNumber: string, t: TriageView): string {
  const lines = [
    `case ${caseNumber}: ${t.items} items: ${t.known} known, ${t.ignorable} ignorable, ${t.unreviewed} unreviewed, ${t.reviewed} reviewed, ${t.errors} with errors`,
  ];
  for (const k of t.knownByCategory) lines.push(`  known, category ${k.category ?? '(none)'}: ${k.items}`);
  for (const m of t.byMethod) lines.push(`  matched by ${m.method}: ${m.items}`);
  for (const e of t.byExhibit) lines.push(`  exhibit ${e.exhibit}: ${e.items} items, ${e.known} known, ${e.ignorable} ignorable`);
  return lines.join('\n');
}

export const matchingCommands: readonly Command[] = [
  {
    words: ['hashset', 'import'],
    usage: 'hashset import FILE --name NAME [--format auto|vics|nsrl|md5|sha1|sha256|pdq|encase|hashkeeper|icse|csv] [--kind alert|ignorable] [--scheme vics-us|caid-uk|none]',
    options: { name: { type: 'string' }, format: { type: 'string' }, kind: { type: 'string' }, scheme: { type: 'string' } },
    positionals: [1, 1],
    session: 'unlock',
    async run(ctx) {
      const engine = ctx.engine;
      if (!engine) throw runtimeError('hashset import needs a store');
      let importId = -1;
      let settle: ((v: HashSetImportView) => void) | null = null;
      const finished = new Map<number, HashSetImportView>();
      let lastShown = 0;
      const unsubscribe = engine.onEvent((e) => {
        if (e.event === 'hashset.progress' && e.payload.importId === importId && process.stderr.isTTY) {
          const p = e.payload;
          if (performance.now() - lastShown > 500) {
            lastShown = performance.now();
            process.stderr.write(`\r${p.entriesRead} entries, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}, ${p.malformed} malformed   `);
          }
        }
        if (e.event === 'hashset.finished') {
          finished.set(e.payload.importId, e.payload);
          if (e.payload.importId === importId) settle?.(e.payload);
        }
      });
      try {
        const started = await call(ctx, 'hashsets.import', {
          path: resolve(positional(ctx)),
          name: required(ctx, 'name'),
          format: optional(ctx, 'format') ?? 'auto',
          kind: optional(ctx, 'kind'),
          scheme: optional(ctx, 'scheme'),
        });
        importId = started.importId;
        const done = finished.get(importId) ?? (await new Promise<HashSetImportView>((r) => (settle = r)));
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (done.state !== 'done') throw runtimeError(`hash set not imported: ${done.error ?? 'failed'}; the store is unchanged`);
        ctx.out(importLine(done), done.hashset);
      } finally {
        unsubscribe();
      }
    },
  },
  {
    words: ['hashset', 'list'],
    usage: 'hashset list',
    options: {},
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const sets = await call(ctx, 'hashsets.list', {});
      ctx.out(table(['NAME', 'KIND', 'FORMAT', 'VERSION', 'SCHEME', 'ENTRIES', 'MALFORMED', 'BY', 'IMPORTED'], sets.map(setRow)), sets);
    },
  },
  {
    words: ['hashset', 'remove'],
    usage: 'hashset remove NAME',
    options: {},
    positionals: [1, 1],
    session: 'unlock',
    async run(ctx) {
      const removed = await call(ctx, 'hashsets.remove', { name: positional(ctx) });
      ctx.out(`removed hash set '${removed.name}' (${removed.entries} entries); items it matched were matched again without it`, removed);
    },
  },
  {
    words: ['case', 'rematch'],
    usage: 'case rematch --case NUM',
    options: { case: { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const r = await call(ctx, 'cases.rematch', { caseNumber: required(ctx, 'case') });
      ctx.out(`case ${r.caseNumber} matched again: ${r.items} items, ${r.known} known, ${r.ignorable} ignorable, ${r.changed} changed`, r);
    },
  },
  {
    words: ['case', 'set'],
    usage: 'case set --case NUM [--pdq-threshold D] [--blockhash-threshold D|off]',
    options: { case: { type: 'string' }, 'pdq-threshold': { type: 'string' }, 'blockhash-threshold': { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const caseNumber = required(ctx, 'case');
      const pdq = optional(ctx, 'pdq-threshold');
      const blockhash = optional(ctx, 'blockhash-threshold');
      if (pdq === undefined && blockhash === undefined) throw usageError('case set takes --pdq-threshold, --blockhash-threshold or both');
      if (pdq !== undefined && !/^\d+$/.test(pdq)) throw usageError('--pdq-threshold takes a number of bits (0-128)');
      if (blockhash !== undefined && blockhash !== 'off' && !/^\d+$/.test(blockhash)) throw usageError("--blockhash-threshold takes a number of bits (0-128), or 'off'");
      let c = pdq === undefined ? undefined : await call(ctx, 'cases.setPdqThreshold', { caseNumber, threshold: Number(pdq) });
      if (blockhash !== undefined) c = await call(ctx, 'cases.setBlockhashThreshold', { caseNumber, threshold: blockhash === 'off' ? null : Number(blockhash) });
      if (c === undefined) return;
      const rules = [`PDQ matches at distance <= ${c.pdqThreshold}`, c.blockhashThreshold === null ? 'blockhash matching off' : `blockhash matches at distance <= ${c.blockhashThreshold}`];
      ctx.out(`case ${c.number}: ${rules.join(', ')} (run case rematch to apply it to items already matched)`, c);
    },
  },
  {
    words: ['explain'],
    usage: 'explain ITEM-ID',
    options: {},
    positionals: [1, 1],
    session: 'unlock',
    async run(ctx) {
      const idText = positional(ctx);
      if (!/^[1-9]\d*$/.test(idText)) throw usageError('an item id is a positive number');
      const x = await call(ctx, 'items.explain', { itemId: Number(idText) });
      const head = `item ${x.item.id} ${x.item.path}: ${x.item.status}${x.item.category ? `, category ${x.item.category}` : ''}`;
      ctx.out([head, ...(x.matches.length === 0 ? ['  no match in any hash set'] : x.matches.map(explainLine))].join('\n'), x);
    },
  },
  {
    words: ['report'],
    usage: 'report --case NUM',
    options: { case: { type: 'string' } },
    positionals: [0, 0],
    session: 'unlock',
    async run(ctx) {
      const caseNumber = required(ctx, 'case');
      const t = await call(ctx, 'cases.triage', { caseNumber });
      ctx.out(triageText(caseNumber, t), t);
    },
  },
];
