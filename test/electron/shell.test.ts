// The desktop shell with `electron` mocked (the one thing tests may mock): the security options of
// every window, the lock-down of navigation and new windows, and the sender check on IPC.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { options: Record<string, unknown>; loaded: unknown[] }[] = [];

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record: { options: Record<string, unknown>; loaded: unknown[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      created.push(this.record);
    }
    once(): void {}
    loadFile(...args: unknown[]): Promise<void> {
      this.record.loaded.push(args);
      return Promise.resolve();
    }
  }
  return { BrowserWindow };
});

const { createAnchorWindow, createMainWindow, denyPermissions, isAppUrl, lockDown } = await import('../../src-main/electron/windows');
const { isTrustedSender, registerIpc } = await import('../../src-main/electron/ipc');
const { channels } = await import('../../src-main/preload/channels');

const rendererIndex = '/opt/LiveDeck/resources/app.asar/out/renderer/index.html';
const paths = { preload: '/opt/LiveDeck/resources/app.asar/out/preload/index.cjs', rendererIndex };
const appUrl = 'file:///opt/LiveDeck/resources/app.asar/out/renderer/index.html';

beforeEach(() => {
  created.length = 0;
});

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
  });

  it('denies new windows, navigation away from the app and webviews', () => {
    const handlers: Record<string, (...args: unknown[]) => void> = {};
    let openHandler: (() => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
      on: (name: string, h: (...args: unknown[]) => void) => (handlers[name] = h),
    };
    lockDown(contents as never, rendererIndex);
    expect(openHandler!()).toEqual({ action: 'deny' });

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

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({ setPermissionRequestHandler: (h: typeof request) => (request = h), setPermissionCheckHandler: (h: typeof check) => (check = h) } as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) request!({}, permission, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!()).toBe(false);
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
    expect(calls).toEqual([['request', 'getInfo', {}], ['openAnchor'], ['onTop', true], ['onTop', false]]);
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
