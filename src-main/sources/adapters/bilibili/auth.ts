// Where a Bilibili connection's credentials come from: the token and the hosts that the signed HTTP
// call `getDanmuInfo` gives, plus who is connecting (uid and buvid, read from the user's cookie).
// LiveDeck does not sign that call: Bilibili wants a wbi signature (w_rid, wts) whose keys rotate,
// so either the user pastes a token and hosts (staticAuth), or points `baseUrl` at a relay or proxy
// that signs the request and forwards it (httpDanmuInfoAuth).
import { z } from 'zod';
import { parseJson } from '../../../shared/values';

export interface BilibiliHost {
  host: string;
  wss_port: number;
}

export interface BilibiliCredentials {
  token: string;
  hosts: BilibiliHost[];
  /** The logged-in user's uid; 0 or absent connects as a guest (names masked). */
  uid?: number;
  buvid?: string;
}

/** Called for each connection until a token is refused, then again for fresh credentials. */
export interface BilibiliAuth {
  credentials(): Promise<BilibiliCredentials>;
}

/** Bilibili's public default, for a user who has a token but no host list. */
export const DEFAULT_HOSTS: BilibiliHost[] = [{ host: 'broadcastlv.chat.bilibili.com', wss_port: 443 }];

const FETCH_TIMEOUT_MS = 10_000;

/** The uid (DedeUserID) and device id (buvid3) in a cookie copied from a logged-in browser. */
export function cookieIdentity(cookie = ''): { uid?: number; buvid?: string } {
  const values = new Map<string, string>();
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) values.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const uid = Number(values.get('DedeUserID'));
  return { uid: Number.isSafeInteger(uid) && uid > 0 ? uid : undefined, buvid: values.get('buvid3') };
}

export interface StaticAuthOptions {
  token: string;
  hosts?: BilibiliHost[];
  cookie?: string;
}

/** Credentials the user supplies: a token and hosts (from the browser or a relay), and their cookie. */
export function staticAuth({ token, hosts = DEFAULT_HOSTS, cookie }: StaticAuthOptions): BilibiliAuth {
  const credentials: BilibiliCredentials = { token, hosts, ...cookieIdentity(cookie) };
  return {
    credentials: () => (hosts.length > 0 ? Promise.resolve(credentials) : Promise.reject(new Error('no Bilibili hosts given'))),
  };
}

export interface HttpDanmuInfoOptions {
  /** e.g. https://api.live.bilibili.com, or a relay that adds the wbi signature. */
  baseUrl: string;
  roomId: number | string;
  cookie?: string;
  fetch?: typeof fetch;
}

const replySchema = z.object({ code: z.number(), message: z.string().optional(), data: z.unknown() });
const danmuInfoSchema = z.object({
  token: z.string(),
  host_list: z.array(z.object({ host: z.string().min(1), wss_port: z.number().int().min(1).max(65535) })).min(1),
});

/** Credentials from `GET {baseUrl}/xlive/web-room/v1/index/getDanmuInfo?id={room}&type=0`, fetched per call. */
export function httpDanmuInfoAuth({ baseUrl, roomId, cookie, fetch: get = fetch }: HttpDanmuInfoOptions): BilibiliAuth {
  const url = `${baseUrl.replace(/\/+$/, '')}/xlive/web-room/v1/index/getDanmuInfo?id=${encodeURIComponent(roomId)}&type=0`;
  return {
    async credentials() {
      const response = await get(url, { headers: cookie ? { Cookie: cookie } : {}, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      const text = await response.text();
      if (!response.ok) throw new Error(`getDanmuInfo answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      const reply = replySchema.safeParse(parseJson(text));
      if (!reply.success) throw new Error(`getDanmuInfo answered no JSON reply: ${text.slice(0, 200)}`);
      const { code, message, data } = reply.data;
      if (code !== 0) throw new Error(`getDanmuInfo refused with code ${code}${message ? ` (${message})` : ''}`);
      const info = danmuInfoSchema.safeParse(data);
      if (!info.success) throw new Error(`getDanmuInfo gave no token and hosts: ${JSON.stringify(data)?.slice(0, 200)}`);
      return { token: info.data.token, hosts: info.data.host_list, ...cookieIdentity(cookie) };
    },
  };
}

/** The auth a saved Bilibili source asks for: its getDanmuInfo URL, or the token and hosts it was given. */
export function bilibiliAuth(config: { roomId: string; danmuInfoUrl?: string; token?: string; hosts?: string; cookie?: string }): BilibiliAuth {
  if (config.danmuInfoUrl) return httpDanmuInfoAuth({ baseUrl: config.danmuInfoUrl, roomId: config.roomId, cookie: config.cookie });
  const hosts = config.hosts
    ?.split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => ({ host: h.slice(0, h.lastIndexOf(':')), wss_port: Number(h.slice(h.lastIndexOf(':') + 1)) }));
  return staticAuth({ token: config.token ?? '', hosts: hosts?.length ? hosts : undefined, cookie: config.cookie });
}
