// Where a connection's credentials come from: a getDanmuInfo endpoint on a local HTTP server (answers,
// refusals, junk), and credentials the user pastes, with uid and buvid read from their cookie.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cookieIdentity, DEFAULT_HOSTS, httpDanmuInfoAuth, staticAuth } from '../../../../src-main/sources/adapters/bilibili/auth';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A getDanmuInfo endpoint answering with `status` and `body`; returns its base URL and the requests it saw. */
async function endpoint(status: number, body: string): Promise<{ baseUrl: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

const danmuInfo = {
  code: 0,
  message: '0',
  ttl: 1,
  data: {
    group: 'live',
    token: 'tok-abc',
    host_list: [
      { host: 'zj-cn-live-comet.chat.bilibili.com', port: 2243, wss_port: 443, ws_port: 2244 },
      { host: 'broadcastlv.chat.bilibili.com', port: 2243, wss_port: 443, ws_port: 2244 },
    ],
  },
};

describe('getDanmuInfo credentials', () => {
  it('asks for the room with the cookie, and returns the token, hosts and who is connecting', async () => {
    const { baseUrl, requests } = await endpoint(200, JSON.stringify(danmuInfo));
    const auth = httpDanmuInfoAuth({ baseUrl, roomId: 21452505, cookie: 'buvid3=ABCD-infoc; DedeUserID=777; SESSDATA=s' });
    expect(await auth.credentials()).toEqual({
      token: 'tok-abc',
      hosts: [
        { host: 'zj-cn-live-comet.chat.bilibili.com', wss_port: 443 },
        { host: 'broadcastlv.chat.bilibili.com', wss_port: 443 },
      ],
      uid: 777,
      buvid: 'ABCD-infoc',
    });
    expect(requests.map((r) => [r.method, r.url, r.headers.cookie])).toEqual([['GET', '/xlive/web-room/v1/index/getDanmuInfo?id=21452505&type=0', 'buvid3=ABCD-infoc; DedeUserID=777; SESSDATA=s']]);
  });

  it('connects as a guest without a cookie', async () => {
    const { baseUrl, requests } = await endpoint(200, JSON.stringify(danmuInfo));
    expect(await httpDanmuInfoAuth({ baseUrl, roomId: 6 }).credentials()).toEqual({ token: 'tok-abc', hosts: expect.any(Array) });
    expect(requests[0].headers.cookie).toBeUndefined();
  });

  it('rejects with a clear reason: a refusal, junk, an HTTP error, or no token', async () => {
    const cases: [number, string, string][] = [
      [200, JSON.stringify({ code: -352, message: '-352', data: { v_voucher: 'voucher_x' } }), 'getDanmuInfo refused with code -352 (-352)'],
      [200, '<html>验证码</html>', 'getDanmuInfo answered no JSON reply: <html>验证码</html>'],
      [200, '{"code":"0"}', 'getDanmuInfo answered no JSON reply: {"code":"0"}'],
      [412, 'precondition failed', 'getDanmuInfo answered HTTP 412: precondition failed'],
      [200, JSON.stringify({ code: 0, data: { token: 'tok', host_list: [] } }), 'getDanmuInfo gave no token and hosts: {"token":"tok","host_list":[]}'],
      [200, JSON.stringify({ code: 0, data: null }), 'getDanmuInfo gave no token and hosts: null'],
    ];
    for (const [status, body, reason] of cases) {
      const { baseUrl } = await endpoint(status, body);
      await expect(httpDanmuInfoAuth({ baseUrl, roomId: 1 }).credentials()).rejects.toThrow(reason);
      await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    }
  });
});

describe('pasted credentials', () => {
  it('uses the given token and hosts, Bilibili’s default host otherwise, and who the cookie says', async () => {
    const hosts = [{ host: 'relay.local', wss_port: 9443 }];
    expect(await staticAuth({ token: 't', hosts, cookie: 'DedeUserID=12; buvid3=B' }).credentials()).toEqual({ token: 't', hosts, uid: 12, buvid: 'B' });
    expect(await staticAuth({ token: 't' }).credentials()).toEqual({ token: 't', hosts: DEFAULT_HOSTS });
    await expect(staticAuth({ token: 't', hosts: [] }).credentials()).rejects.toThrow('no Bilibili hosts given');
  });

  it('reads uid and buvid from a cookie, ignoring what it cannot use', () => {
    expect(cookieIdentity(' SESSDATA=a%2Cb ; DedeUserID=3493134891747524;buvid3=X-Y-infoc ')).toEqual({ uid: 3493134891747524, buvid: 'X-Y-infoc' });
    expect(cookieIdentity('DedeUserID=abc; junk')).toEqual({ uid: undefined, buvid: undefined });
    expect(cookieIdentity()).toEqual({ uid: undefined, buvid: undefined });
  });
});
