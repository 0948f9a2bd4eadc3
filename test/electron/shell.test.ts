// The desktop shell with `electron` mocked (the one thing tests may mock): the security options of
// every window, what windows load, the lock-down of navigation and new windows, links opened in the
// system browser, permissions, and the sender check on every IPC channel.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { options: Record<string, unknown>; loaded: unknown[]; remote: unknown[] }[] = [];
const openedExternally: string[] = [];

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record: { options: Record<string, unknown>; loaded: unknown[]; remote: unknown[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], remote: [] };
      created.push(this.record);
    }
    once(): void {}
    loadFile(...args: unknown[]): Promise<void> {
      this.record.loaded.push(args);
      return Promise.resolve();
    }
    loadURL(...args: unknown[]): Promise<void> {
      this.record.remote.push(args);
      return Promise.resolve();
    }
  }
  const shell = {
    openExternal: (url: string) => {
      openedExternally.push(url);
      return Promise.resolve();
    },
  };
  return { BrowserWindow, shell };
});

const { createAnchorWindow, createMainWindow, denyPermissions, isAppUrl, lockDown } = await import('../../src-main/electron/windows');
const { isSafeExternalUrl, openExternal } = await import('../../src-main/electron/external-links');
const { isTrustedSender, registerIpc } = await import('../../src-main/electron/ipc');
const { channels } = await import('../../src-main/preload/channels');

const rendererIndex = '/opt/LiveDeck/resources/app.asar/out/renderer/index.html';
const paths = { preload: '/opt/LiveDeck/resources/app.asar/out/preload/index.cjs', rendererIndex };
const appUrl = 'file:///opt/LiveDeck/resources/app.asar/out/renderer/index.html';

beforeEach(() => {
  created.length = 0;
  openedExternally.length = 0;
});

/** The shell's own sources: src-main/electron and src-main/preload. */
function shellSources(): { file: string; text: string }[] {
  const root = join(import.meta.dirname, '../..');
  return ['src-main/electron', 'src-main/preload'].flatMap((dir) =>
    readdirSync(join(root, dir)).map((name) => ({ file: relative(root, join(root, dir, name)), text: readFileSync(join(root, dir, name), 'utf8') })),
  );
}

describe('windows', () => {
  it('every window is isolated, sandboxed and without Node', () => {
    createMainWindow(paths);
    createAnchorWindow(paths);
    expect(created).toHaveLength(2);
    for (const { options } of created) {
      expect(options.webPreferences).toMatchObject({
        preload: paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
    }
    expect(created[0].loaded).toEqual([[rendererIndex]]);
    expect(created[1].loaded).toEqual([[rendererIndex, { hash: '/anchor' }]]);
    expect(created.flatMap((w) => w.remote)).toEqual([]);
  });

  it('never load anything but the built renderer file: no loadURL anywhere in the shell', () => {
    const offenders = shellSources().filter(({ text }) => /\.loadURL\(|webviewTag:\s*true|nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/.test(text));
    expect(offenders.map((o) => o.file)).toEqual([]);
  });

  it('denies new windows, navigation away from the app and webviews', () => {
    const handlers: Record<string, (...args: unknown[]) => void> = {};
    let openHandler: ((details: { url: string }) => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
      on: (name: string, h: (...args: unknown[]) => void) => (handlers[name] = h),
    };
    lockDown(contents as never, rendererIndex);
    for (const url of [appUrl, 'https://docs.example.com/guide', 'http://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(openHandler!({ url })).toEqual({ action: 'deny' });
    }
    // Of those, only the https link went to the system browser.
    expect(openedExternally).toEqual(['https://docs.example.com/guide']);

    const navigate = (url: string): boolean => {
      let prevented = false;
      handlers['will-navigate']({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${appUrl}#/anchor`)).toBe(false);

    let webviewPrevented = false;
    handlers['will-attach-webview']({ preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });

  it('denies every permission request and check, and every device', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    let device: ((d: unknown) => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      setDevicePermissionHandler: (h: typeof device) => (device = h),
    } as never);
    const permissions = ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial', 'usb'];
    const answers: boolean[] = [];
    for (const permission of permissions) request!({}, permission, (ok) => answers.push(ok));
    expect(answers).toEqual(permissions.map(() => false));
    expect(permissions.map((p) => check!({}, p))).toEqual(permissions.map(() => false));
    expect(device!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('links to the outside', () => {
  it('opens only https URLs without credentials in the system browser', () => {
    const safe = ['https://docs.example.com/', 'https://例子.中国/路径?q=1#x'];
    const unsafe = [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      'ms-settings:privacy',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'https://user:pass@example.com/',
      'not a url',
      '',
    ];
    for (const url of [...safe, ...unsafe]) expect(openExternal(url), url).toBe(safe.includes(url));
    expect(openedExternally).toEqual(safe.map((url) => new URL(url).href));
    expect(unsafe.filter(isSafeExternalUrl)).toEqual([]);
  });

  it('is the only door: nothing else in the shell touches electron.shell', () => {
    const callers = shellSources().filter(({ text }) => /import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron'|\.openExternal\(/.test(text));
    expect(callers.map((c) => c.file)).toEqual(['src-main/electron/external-links.ts']);
  });

  it('recognises only the app page as app content', () => {
    expect(isAppUrl(appUrl, rendererIndex)).toBe(true);
    expect(isAppUrl(`${appUrl}#/anchor`, rendererIndex)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:4317/', rendererIndex)).toBe(false);
    expect(isAppUrl('not a url', rendererIndex)).toBe(false);
  });
});

describe('IPC sender check', () => {
  type Handler = (event: unknown, ...args: unknown[]) => unknown;

  function setup(): { handlers: Map<string, Handler>; calls: unknown[][] } {
    const handlers = new Map<string, Handler>();
    const calls: unknown[][] = [];
    registerIpc({ handle: (channel: string, h: Handler) => handlers.set(channel, h) } as never, {
      rendererIndex,
      request: async (method, args) => {
        calls.push(['request', method, args]);
        return { id: 1, ok: true, result: 'forwarded' };
      },
      openAnchorWindow: () => calls.push(['openAnchor']),
      setAlwaysOnTop: (_sender, on) => calls.push(['onTop', on]),
      savePdf: async (_sender, fileName) => calls.push(['pdf', fileName]) > 0,
    });
    return { handlers, calls };
  }

  it('forwards requests from the app page to the engine', async () => {
    const { handlers, calls } = setup();
    const event = { senderFrame: { url: appUrl }, sender: {} };
    expect(await handlers.get(channels.request)!(event, 'getInfo', {})).toMatchObject({ ok: true, result: 'forwarded' });
    await handlers.get(channels.openAnchor)!(event);
    await handlers.get(channels.alwaysOnTop)!(event, true);
    await handlers.get(channels.alwaysOnTop)!(event, 'yes');
    await handlers.get(channels.savePdf)!(event, '复盘.pdf');
    expect(calls).toEqual([['request', 'getInfo', {}], ['openAnchor'], ['onTop', true], ['onTop', false], ['pdf', '复盘.pdf']]);
  });

  it('has a sender check on every channel the preload can invoke', async () => {
    const { handlers, calls } = setup();
    const invoked = Object.values(channels).filter((c) => c !== channels.push);
    expect([...handlers.keys()].sort()).toEqual([...invoked].sort());
    const untrusted = { senderFrame: { url: 'https://evil.example/' }, sender: {} };
    for (const handler of handlers.values()) await handler(untrusted, 'getInfo', {});
    expect(calls).toEqual([]);
  });

  it('refuses messages from any other frame, or none', async () => {
    const { handlers, calls } = setup();
    for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/x.html' }, null]) {
      const event = { senderFrame, sender: {} };
      expect(await handlers.get(channels.request)!(event, 'getInfo', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      await handlers.get(channels.openAnchor)!(event);
      await handlers.get(channels.alwaysOnTop)!(event, true);
    }
    expect(calls).toEqual([]);
    expect(isTrustedSender(undefined, rendererIndex)).toBe(false);
  });
});
