// Which page is showing: hash routes (#/sources, #/profiles, #/answers, #/triggers, #/review, #/replay/<session id>),
// plus /anchor for the browser-source overlay.

export type Page = 'dashboard' | 'sources' | 'profiles' | 'answers' | 'triggers' | 'review' | 'replay' | 'anchor';

/** Whether this is the anchor overlay: /anchor (the URL printed for OBS) or #/anchor. */
export function isAnchorPage(): boolean {
  return location.pathname === '/anchor' || location.hash === '#/anchor';
}

function current(): Page {
  if (isAnchorPage()) return 'anchor';
  if (location.hash === '#/sources') return 'sources';
  if (location.hash === '#/profiles') return 'profiles';
  if (location.hash === '#/answers') return 'answers';
  if (location.hash === '#/triggers') return 'triggers';
  if (location.hash === '#/review') return 'review';
  if (location.hash.startsWith('#/replay/')) return 'replay';
  return 'dashboard';
}

/** The session a replay route names. */
function replayId(): string {
  return location.hash.startsWith('#/replay/') ? decodeURIComponent(location.hash.slice('#/replay/'.length)) : '';
}

class Route {
  page = $state<Page>(current());
  replayId = $state(replayId());

  constructor() {
    window.addEventListener('hashchange', () => {
      this.page = current();
      this.replayId = replayId();
    });
  }
}

export const route = new Route();
