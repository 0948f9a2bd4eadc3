// The app's windows and the security settings every one of them gets: context isolation, sandbox,
// no Node in the page, no new windows (an https link opens in the system browser, external-links.ts),
// no navigation away from the app's own page, no permissions or devices. A window only ever loads the
// built renderer file, never a remote URL.
import { fileURLToPath } from 'node:url';
import { BrowserWindow, type Session, type WebContents, type WebPreferences } from 'electron';
import { openExternal } from './external-links';

export interface AppPaths {
  preload: string;
  rendererIndex: string;
}

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The ops dashboard. */
export function createMainWindow(paths: AppPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 720,
    title: 'LiveDeck 直播驾驶舱',
    backgroundColor: '#0b0f17',
    show: false,
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(paths.rendererIndex);
  return win;
}

/** The compact anchor view; its page offers the always-on-top toggle. */
export function createAnchorWindow(paths: AppPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 560,
    height: 760,
    title: 'LiveDeck 主播视图',
    backgroundColor: '#000000',
    webPreferences: secureWebPreferences(paths.preload),
  });
  void win.loadFile(paths.rendererIndex, { hash: '/anchor' });
  return win;
}

/** True for the app's own page (any hash), the only content LiveDeck ever loads. */
export function isAppUrl(url: string, rendererIndex: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' && fileURLToPath(parsed) === rendererIndex;
  } catch {
    return false;
  }
}

/** Applied to every webContents the app creates. */
export function lockDown(contents: WebContents, rendererIndex: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererIndex)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
