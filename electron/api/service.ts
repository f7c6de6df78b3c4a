// The service behind the contract: one handler per method. Every state change runs in one
// transaction together with the custody event that records it.
import { buildMissingKeys } from '../matching/hashset-keys.js';
import { appendEvent, readEvents } from '../custody/log.js';
import { verifyChain } from '../custody/verify.js';
import { CustosError } from '../store/errors.js';
import { getMeta, getSetting, setSetting } from '../store/repositories/settings.js';
import { countActiveAdmins, findUser, insertUser, listUsers, setUserDisabled } from '../store/repositories/users.js';
import { findCase, insertCase, listCases } from '../store/repositories/cases.js';
import { findExhibit, insertExhibit, listExhibits } from '../store/repositories/exhibits.js';
import { schemaVersion } from '../store/migrate.js';
import {
  closeStore,
  createStore,
  isInitialised,
  passphraseMatches,
  removeKeySlot,
  setKeySlot,
  unlockStore,
  type OpenStore,
} from '../store/store.js';
import { checkStore } from '../store/database.js';
import defaults from '../../resources/settings.default.json' with { type: 'json' };
import { ingestHandlers, stopAllIngests } from './ingest-service.js';
import { matchingHandlers, stopAllImports } from './matching-service.js';
import type { CaseView, ExhibitView, Settings, StatusView, UserView } from './contract.js';
import { caseNamed, openSession, type Handlers, type ServiceContext } from './service-context.js';

export type { Handlers, ServiceContext } from './service-context.js';

function readSettings(s: OpenStore): Settings {
  const idle = getSetting(s.db, 'idleLockMinutes');
  return { idleLockMinutes: idle === undefined ? defaults.idleLockMinutes : Number(idle) };
}

export function status(ctx: ServiceContext): StatusView {
  const s = ctx.session;
  return {
    initialised: isInitialised(ctx.storeDir),
    unlocked: s !== null,
    user: s && { name: s.user.name, role: s.user.role },
    settings: s && readSettings(s),
  };
}

function existingUser(s: OpenStore, name: string): UserView {
  const user = findUser(s.db, name);
  if (!user) throw new CustosError('not-found', `no user '${name}' in this store`);
  return user;
}

function existingExhibit(s: OpenStore, caseView: CaseView, number: string): ExhibitView {
  const found = findExhibit(s.db, caseView.id, number);
  if (!found) throw new CustosError('not-found', `no exhibit '${number}' in case '${caseView.number}'`);
  return found;
}

export const handlers: Handlers = {
  'store.status': (ctx) => status(ctx),

  'store.init': async (ctx, { admin, passphrase }) => {
    if (ctx.session) throw new CustosError('already-initialised', 'a store is already open');
    ctx.session = await createStore(ctx.storeDir, admin, passphrase, (db, now) => {
      const at = new Date(now);
      appendEvent(db, { actor: admin, action: 'store.create', subject: `store/${getMeta(db, 'store_id')}`, details: { schema: schemaVersion(db) } }, at);
      appendEvent(db, { actor: admin, action: 'user.add', subject: `user/${admin}`, details: { role: 'admin' } }, at);
    });
    const s = ctx.session;
    s.db.transaction(() => appendEvent(s.db, { actor: admin, action: 'session.unlock', subject: `user/${admin}` }))();
    return status(ctx);
  },

  'session.unlock': async (ctx, { user, passphrase }) => {
    if (ctx.session) throw new CustosError('conflict', `the store is already unlocked by '${ctx.session.user.name}': lock it first`);
    const s = await unlockStore(ctx.storeDir, user, passphrase);
    if (s.user.disabled) {
      s.db.transaction(() => appendEvent(s.db, { actor: user, action: 'session.refuse', subject: `user/${user}`, details: { reason: 'disabled' } }))();
      closeStore(s);
      throw new CustosError('user-disabled', `user '${user}' is disabled; ask an administrator`);
    }
    s.db.transaction(() => {
      for (const m of s.migrated) {
        appendEvent(s.db, { actor: 'system', action: 'store.migrate', subject: 'store', details: { version: m.version, name: m.name } });
      }
      appendEvent(s.db, { actor: user, action: 'session.unlock', subject: `user/${user}` });
    })();
    // Sets stored before key buckets existed (migration 0040) get theirs from their entries.
    const rebuilt = buildMissingKeys(s.db);
    if (rebuilt.length > 0) {
      s.db.transaction(() => appendEvent(s.db, { actor: 'system', action: 'hashset.keys', subject: 'store', details: { sets: rebuilt } }))();
    }
    ctx.session = s;
    return status(ctx);
  },

  'session.lock': async (ctx, { reason }) => {
    const s = openSession(ctx);
    await stopAllIngests(ctx, `session ${reason === 'idle' ? 'locked when idle' : 'locked'}`);
    await stopAllImports(ctx, 'session locked');
    ctx.imports.clear();
    s.db.transaction(() => appendEvent(s.db, { actor: s.user.name, action: 'session.lock', subject: `user/${s.user.name}`, details: { reason } }))();
    closeStore(s);
    ctx.session = null;
    return status(ctx);
  },

  'users.list': (ctx) => listUsers(openSession(ctx).db),

  'users.add': async (ctx, { name, role, passphrase }) => {
    const s = openSession(ctx);
    if (findUser(s.db, name)) throw new CustosError('conflict', `user '${name}' already exists`);
    s.db.transaction(() => {
      insertUser(s.db, { name, role, createdAt: new Date().toISOString(), createdBy: s.user.name });
      appendEvent(s.db, { actor: s.user.name, action: 'user.add', subject: `user/${name}`, details: { role } });
    })();
    // The row commits first: should the slot write fail, an admin's reset gives the user a slot.
    await setKeySlot(s, name, passphrase);
    return existingUser(s, name);
  },

  'users.disable': (ctx, { name }) => {
    const s = openSession(ctx);
    const user = existingUser(s, name);
    if (name === s.user.name) throw new CustosError('conflict', 'you cannot disable your own account');
    if (user.disabled) throw new CustosError('conflict', `user '${name}' is already disabled`);
    if (user.role === 'admin' && countActiveAdmins(s.db) <= 1) throw new CustosError('conflict', 'the last active administrator cannot be disabled');
    s.db.transaction(() => {
      setUserDisabled(s.db, name, true);
      appendEvent(s.db, { actor: s.user.name, action: 'user.disable', subject: `user/${name}` });
    })();
    // Dropping the slot means the old passphrase no longer unwraps the key at all.
    removeKeySlot(s, name);
    return existingUser(s, name);
  },

  'users.resetPassphrase': async (ctx, { name, passphrase }) => {
    const s = openSession(ctx);
    const user = existingUser(s, name);
    if (user.disabled) throw new CustosError('conflict', `user '${name}' is disabled`);
    s.db.transaction(() => appendEvent(s.db, { actor: s.user.name, action: 'user.passphrase-reset', subject: `user/${name}` }))();
    await setKeySlot(s, name, passphrase);
    return user;
  },

  'users.changePassphrase': async (ctx, { current, next }) => {
    const s = openSession(ctx);
    if (!(await passphraseMatches(s.dir, s.user.name, current))) throw new CustosError('bad-credentials', 'the current passphrase is wrong');
    s.db.transaction(() => appendEvent(s.db, { actor: s.user.name, action: 'user.passphrase-change', subject: `user/${s.user.name}` }))();
    await setKeySlot(s, s.user.name, next);
    return existingUser(s, s.user.name);
  },

  'cases.list': (ctx) => listCases(openSession(ctx).db),

  'cases.create': (ctx, { number, title, scheme }) => {
    const s = openSession(ctx);
    if (findCase(s.db, number)) throw new CustosError('conflict', `case '${number}' already exists`);
    s.db.transaction(() => {
      insertCase(s.db, { number, title, scheme, createdAt: new Date().toISOString(), createdBy: s.user.name });
      appendEvent(s.db, { actor: s.user.name, action: 'case.create', subject: `case/${number}`, details: { title, scheme } });
    })();
    return caseNamed(s, number);
  },

  'exhibits.list': (ctx, { caseNumber }) => {
    const s = openSession(ctx);
    return listExhibits(s.db, caseNamed(s, caseNumber).id);
  },

  'exhibits.add': (ctx, input) => {
    const s = openSession(ctx);
    const caseView = caseNamed(s, input.caseNumber);
    const id = caseView.id;
    if (findExhibit(s.db, id, input.number)) throw new CustosError('conflict', `exhibit '${input.number}' already exists in case '${input.caseNumber}'`);
    const fields = {
      description: input.description,
      seizedBy: input.seizedBy || null,
      seizedAt: input.seizedAt ?? null,
      seizedFrom: input.seizedFrom || null,
      seal: input.seal || null,
    };
    s.db.transaction(() => {
      insertExhibit(s.db, { caseId: id, number: input.number, ...fields, createdAt: new Date().toISOString(), createdBy: s.user.name });
      appendEvent(s.db, { actor: s.user.name, action: 'exhibit.add', subject: `exhibit/${input.caseNumber}/${input.number}`, details: fields });
    })();
    return existingExhibit(s, caseView, input.number);
  },

  ...ingestHandlers,
  ...matchingHandlers,

  'custody.log': (ctx, { since, limit }) => readEvents(openSession(ctx).db, since, limit),

  'custody.verify': (ctx) => verifyChain(openSession(ctx).db),
  'store.check': (ctx) => {
    const { ok, pages, problem } = checkStore(openSession(ctx).db, true);
    return { ok, pages, problem };
  },

  'settings.get': (ctx) => readSettings(openSession(ctx)),

  'settings.update': (ctx, { idleLockMinutes }) => {
    const s = openSession(ctx);
    const before = readSettings(s);
    s.db.transaction(() => {
      setSetting(s.db, 'idleLockMinutes', String(idleLockMinutes));
      appendEvent(s.db, {
        actor: s.user.name,
        action: 'settings.update',
        subject: 'settings',
        details: { idleLockMinutes: { from: before.idleLockMinutes, to: idleLockMinutes } },
      });
    })();
    return readSettings(s);
  },
};
