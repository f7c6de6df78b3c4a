import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, kind: unknown) => Promise<readonly string[]>;

const electron = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  dialogCalls: [] as unknown[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => electron.handlers.set(channel, handler),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  dialog: {
    showOpenDialog: (_window: unknown, options: unknown) => {
      electron.dialogCalls.push(options);
      return Promise.resolve({ canceled: false, filePaths: ['/media/evidence/usb1'] });
    },
  },
}));

const { isPickKind, pickerOptions, registerPathPicker } = await import('../../../electron/main/path-picker.js');

describe('native source picker', () => {
  const webContents = {};
  const window = { webContents } as never;
  const fromApp = { sender: webContents, senderFrame: { url: 'app://custos/index.html' } };

  beforeEach(() => {
    electron.handlers.clear();
    electron.dialogCalls.length = 0;
  });

  it('offers folders or files, several at once, and never adds evidence to recent documents', () => {
    expect(pickerOptions('folder').properties).toEqual(['openDirectory', 'multiSelections', 'dontAddToRecent']);
    expect(pickerOptions('file').properties).toEqual(['openFile', 'multiSelections', 'dontAddToRecent']);
    expect(isPickKind('folder') && isPickKind('file')).toBe(true);
    expect(isPickKind('../etc')).toBe(false);
  });

  it('answers our page in our window, and nobody else', async () => {
    const dispose = registerPathPicker(() => window);
    const handler = electron.handlers.get('custos:pick-paths');
    expect(handler).toBeDefined();
    expect(await handler?.(fromApp, 'folder')).toEqual(['/media/evidence/usb1']);
    expect(await handler?.({ ...fromApp, senderFrame: { url: 'https://example.org/' } }, 'folder')).toEqual([]);
    expect(await handler?.({ ...fromApp, sender: {} }, 'folder')).toEqual([]);
    expect(await handler?.(fromApp, 'everything')).toEqual([]);
    expect(electron.dialogCalls).toHaveLength(1);
    dispose();
    expect(electron.handlers.has('custos:pick-paths')).toBe(false);
  });
});
