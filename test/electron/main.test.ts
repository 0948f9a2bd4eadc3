// The Electron main process as it starts, with `electron` mocked (the one thing tests may mock): that
// the checklist is actually wired in — the sandbox for every renderer, permissions denied on the
// session, every webContents locked down as it is created, and every IPC channel checked for its
// sender before anything reaches the engine process.
import { describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const calls = {
  enableSandbox: 0,
  appEvents: new Map<string, Listener>(),
  ipc: new Map<string, Listener>(),
  permissionRequest: undefined as Listener | undefined,
  permissionCheck: undefined as Listener | undefined,
  device: undefined as Listener | undefined,
  windows: [] as { webPreferences: Record<string, unknown>; loaded: unknown[] }[],
  posted: [] as unknown[],
};

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = (): BrowserWindow[] => [];
    static fromWebContents = (): undefined => undefined;
    readonly record: { webPreferences: Record<string, unknown>; loaded: unknown[] };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.record = { webPreferences: options.webPreferences, loaded: [] };
      calls.windows.push(this.record);
    }
    once(): void {}
    loadFile(...args: unknown[]): Promise<void> {
      this.record.loaded.push(args);
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    app: {
      isPackaged: false,
      enableSandbox: () => calls.enableSandbox++,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on: (name: string, listener: Listener) => calls.appEvents.set(name, listener),
      quit: () => {},
    },
    ipcMain: { handle: (channel: string, listener: Listener) => calls.ipc.set(channel, listener) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (calls.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (calls.permissionCheck = h),
        setDevicePermissionHandler: (h: Listener) => (calls.device = h),
      },
    },
    safeStorage: { isEncryptionAvailable: () => false },
    shell: { openExternal: () => Promise.resolve() },
    utilityProcess: {
      fork: () => ({ on: () => {}, postMessage: (message: unknown) => calls.posted.push(message), kill: () => {} }),
    },
  };
});

await import('../../src-main/electron/main');
await new Promise((resolve) => setTimeout(resolve, 0)); // app.whenReady().then(start)
const { channels } = await import('../../src-main/preload/channels');

describe('the Electron main process', () => {
  it('sandboxes every renderer and opens the dashboard isolated, on the built file', () => {
    expect(calls.enableSandbox).toBe(1);
    expect(calls.windows).toHaveLength(1);
    expect(calls.windows[0].webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(calls.windows[0].loaded).toEqual([[expect.stringMatching(/[\\/]renderer[\\/]index\.html$/)]]);
  });

  it('denies permissions and devices on the default session', () => {
    const answers: unknown[] = [];
    calls.permissionRequest!({}, 'media', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect(calls.permissionCheck!({}, 'media')).toBe(false);
    expect(calls.device!({})).toBe(false);
  });

  it('locks down every webContents as it is created', () => {
    const created = calls.appEvents.get('web-contents-created')!;
    const handlers = new Map<string, Listener>();
    let openHandler: Listener | undefined;
    created({}, { setWindowOpenHandler: (h: Listener) => (openHandler = h), on: (name: string, h: Listener) => handlers.set(name, h) });
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    let prevented = false;
    handlers.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(handlers.has('will-attach-webview')).toBe(true);
  });

  it('checks the sender of every IPC channel before the engine hears of it', async () => {
    expect([...calls.ipc.keys()].sort()).toEqual(Object.values(channels).filter((c) => c !== channels.push).sort());
    const foreign = { senderFrame: { url: 'https://evil.example/' }, sender: {} };
    expect(await calls.ipc.get(channels.request)!(foreign, 'erasePerson', { personId: 1 })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await calls.ipc.get(channels.openAnchor)!(foreign);
    await calls.ipc.get(channels.alwaysOnTop)!(foreign, true);
    expect(await calls.ipc.get(channels.savePdf)!(foreign, 'x.pdf')).toBe(false);
    expect(calls.posted).toEqual([]);
    expect(calls.windows).toHaveLength(1); // no anchor window was opened
  });
});
