// The desktop transport, main side: every IPC message is checked to come from the app's own page
// before it is forwarded to the engine or acts on a window.
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { WireReply } from '../contract';
import { channels } from '../preload/channels';
import { isAppUrl } from './windows';

export interface IpcDeps {
  rendererIndex: string;
  request(method: unknown, args: unknown): Promise<WireReply>;
  openAnchorWindow(): void;
  setAlwaysOnTop(sender: WebContents, on: boolean): void;
  savePdf(sender: WebContents, fileName: string): Promise<boolean>;
}

export function isTrustedSender(frame: WebFrameMain | null | undefined, rendererIndex: string): boolean {
  return !!frame && isAppUrl(frame.url, rendererIndex);
}

const untrusted: WireReply = { id: null, ok: false, error: { code: 'unauthorized', message: 'IPC from an untrusted frame' } };

export function registerIpc(ipcMain: IpcMain, deps: IpcDeps): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event.senderFrame, deps.rendererIndex);
  ipcMain.handle(channels.request, (event, method: unknown, args: unknown) =>
    trusted(event) ? deps.request(method, args) : untrusted,
  );
  ipcMain.handle(channels.openAnchor, (event) => {
    if (trusted(event)) deps.openAnchorWindow();
  });
  ipcMain.handle(channels.alwaysOnTop, (event, on: unknown) => {
    if (trusted(event)) deps.setAlwaysOnTop(event.sender, on === true);
  });
  ipcMain.handle(channels.savePdf, (event, fileName: unknown) => (trusted(event) ? deps.savePdf(event.sender, String(fileName)) : false));
}
