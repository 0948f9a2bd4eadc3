// Links out of the app: the one place LiveDeck hands a URL to the system browser. Only https, and
// never a URL with credentials in it; anything else (file:, http:, custom protocol handlers that
// would start another program) is refused. Pages never navigate or open windows themselves
// (windows.ts): a link with target="_blank" arrives here.
import { shell } from 'electron';

/** Whether `url` may be opened in the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && parsed.hostname !== '' && !parsed.username && !parsed.password;
}

/** Opens `url` (as the URL parser normalised it) in the system browser when it is safe to; answers whether it was. */
export function openExternal(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void shell.openExternal(new URL(url).href);
  return true;
}
