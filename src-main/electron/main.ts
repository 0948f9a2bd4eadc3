// The Electron main process: windows, the engine's utility process, and the IPC between them. Thin by
// design: everything that knows about live rooms lives in the engine.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { channels } from '../preload/channels';
import { parseCliOptions } from '../cli/options';
import { EngineProcess } from './engine-process';
import { keychainKey } from './secret-key';
import { registerIpc } from './ipc';
import { savePdf } from './save-pdf';
import { createAnchorWindow, createMainWindow, denyPermissions, lockDown, type AppPaths } from './windows';

const paths: AppPaths = {
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  rendererIndex: join(import.meta.dirname, '../renderer/index.html'),
};

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

function start(): void {
  denyPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => lockDown(contents, paths.rendererIndex));

  // The engine reads the same flags as browser mode (--data-dir, --demo-rate, …).
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const secretKey = keychainKey(parseCliOptions(argv).dataDir);
  const engine = new EngineProcess(join(import.meta.dirname, 'engine.js'), argv, secretKey ? { LIVEDECK_SECRET_KEY: secretKey } : {});
  engine.onPush((push) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(channels.push, push);
  });

  let mainWindow = createMainWindow(paths);
  let anchorWindow: BrowserWindow | undefined;
  registerIpc(ipcMain, {
    rendererIndex: paths.rendererIndex,
    request: (method, args) => engine.request(method, args),
    openAnchorWindow: () => {
      if (anchorWindow && !anchorWindow.isDestroyed()) anchorWindow.focus();
      else anchorWindow = createAnchorWindow(paths);
    },
    setAlwaysOnTop: (sender, on) => BrowserWindow.fromWebContents(sender)?.setAlwaysOnTop(on, 'screen-saver'),
    savePdf,
  });

  app.on('second-instance', () => mainWindow.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(paths);
  });
  app.on('window-all-closed', () => {
    engine.stop();
    app.quit();
  });
}
