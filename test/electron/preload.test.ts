// The preload with `electron` mocked (the one thing tests may mock): the page gets one function per
// contract request and the two window controls, each bound to its own fixed channel — never
// ipcRenderer itself, never a way to pick a channel, never the IPC event object.
import { describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;
const exposed: { key: string; api: unknown }[] = [];
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<Listener>>();
const ipcRenderer = {
  invoke: (...args: unknown[]) => {
    invoked.push(args);
    return Promise.resolve({ id: 1, ok: true, result: null });
  },
  on: (channel: string, listener: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
  removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
  ipcRenderer,
}));

await import('../../src-main/preload/index');
const { methods } = await import('../../src-main/contract');
const { channels } = await import('../../src-main/preload/channels');

/** Every value reachable from `root`. */
function reachable(root: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof root === 'object' && root !== null) || typeof root === 'function') {
    if (seen.has(root)) return seen;
    seen.add(root);
    for (const value of Object.values(root)) reachable(value, seen);
  }
  return seen;
}

describe('the preload', () => {
  const [{ key, api }] = exposed;
  const livedeck = api as import('../../src-main/contract').DesktopApi;

  it('exposes one API as window.livedeck, with no path to ipcRenderer', () => {
    expect(exposed).toHaveLength(1);
    expect(key).toBe('livedeck');
    expect(Object.keys(livedeck).sort()).toEqual(['onPush', 'openAnchorWindow', 'request', 'savePdf', 'setAlwaysOnTop']);
    expect(reachable(livedeck).has(ipcRenderer)).toBe(false);
  });

  it('binds every contract request to the one request channel, by name', async () => {
    expect(Object.keys(livedeck.request).sort()).toEqual([...methods].sort());
    for (const method of methods) await (livedeck.request[method] as (args: unknown) => Promise<unknown>)({ probe: method });
    expect(invoked).toEqual(methods.map((method) => [channels.request, method, { probe: method }]));
  });

  it('passes the window controls a boolean only', async () => {
    invoked.length = 0;
    await livedeck.openAnchorWindow();
    await livedeck.setAlwaysOnTop('yes' as never);
    await livedeck.setAlwaysOnTop(true);
    await livedeck.savePdf({ toString: () => '报告.pdf' } as never);
    expect(invoked).toEqual([[channels.openAnchor], [channels.alwaysOnTop, false], [channels.alwaysOnTop, true], [channels.savePdf, '报告.pdf']]);
  });

  it('hands pushes to the page without the IPC event, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = livedeck.onPush((...args: unknown[]) => received.push(args));
    const [handler] = listeners.get(channels.push)!;
    handler({ sender: 'the IPC event' }, { stream: 'settings', payload: { language: 'en' } });
    expect(received).toEqual([[{ stream: 'settings', payload: { language: 'en' } }]]);
    unsubscribe();
    expect(listeners.get(channels.push)!.size).toBe(0);
  });
});
