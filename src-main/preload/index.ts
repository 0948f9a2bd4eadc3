// The desktop transport, renderer side: exposes one function per contract request, a stream
// subscription that returns its unsubscribe, the two window controls and saving the page as PDF.
// Never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { methods, type DesktopApi, type WirePush } from '../contract';
import { channels } from './channels';

const api: DesktopApi = {
  request: Object.fromEntries(
    methods.map((method) => [method, (args: unknown) => ipcRenderer.invoke(channels.request, method, args)]),
  ) as DesktopApi['request'],
  onPush(listener) {
    const handler = (_event: IpcRendererEvent, push: WirePush): void => listener(push);
    ipcRenderer.on(channels.push, handler);
    return () => {
      ipcRenderer.removeListener(channels.push, handler);
    };
  },
  openAnchorWindow: () => ipcRenderer.invoke(channels.openAnchor),
  setAlwaysOnTop: (on) => ipcRenderer.invoke(channels.alwaysOnTop, on === true),
  savePdf: (fileName) => ipcRenderer.invoke(channels.savePdf, String(fileName)),
};

contextBridge.exposeInMainWorld('livedeck', api);
