// The native "choose evidence" dialog. The page cannot browse the file system itself (it is
// sandboxed); it asks main, which shows the dialog over its own window and returns the paths
// the investigator chose. Nothing is read here: the engine reads, read-only, when told to.
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron';
import { PICK_PATHS_CHANNEL } from './channels.js';
import { isAppOrigin } from './hardening.js';

export type PickKind = 'folder' | 'file';

export function isPickKind(value: unknown): value is PickKind {
  return value === 'folder' || value === 'file';
}

export function pickerOptions(kind: PickKind): OpenDialogOptions {
  return kind === 'folder'
    ? { properties: ['openDirectory', 'multiSelections', 'dontAddToRecent'] }
    : {
        properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
        filters: [
          { name: 'Archives and disk images', extensions: ['zip', 'E01', 'e01', 'dd', 'raw', 'img'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
}

/** Registers the handler; the returned function removes it. */
export function registerPathPicker(window: () => BrowserWindow | null): () => void {
  ipcMain.handle(PICK_PATHS_CHANNEL, async (event: IpcMainInvokeEvent, kind: unknown): Promise<readonly string[]> => {
    const owner = window();
    // Only our own page, in our own window, may open the dialog.
    if (!owner || event.sender !== owner.webContents || !isAppOrigin(event.senderFrame?.url ?? '')) return [];
    if (!isPickKind(kind)) return [];
    const result = await dialog.showOpenDialog(owner, pickerOptions(kind));
    return result.canceled ? [] : result.filePaths;
  });
  return () => ipcMain.removeHandler(PICK_PATHS_CHANNEL);
}
