// Which page is showing: hash routes (#/sources, #/profiles, #/answers, #/triggers, #/review), plus /anchor for the browser-source overlay.

export type Page = 'dashboard' | 'sources' | 'profiles' | 'answers' | 'triggers' | 'review' | 'anchor';

function current(): Page {
  if (location.pathname === '/anchor' || location.hash === '#/anchor') return 'anchor';
  if (location.hash === '#/sources') return 'sources';
  if (location.hash === '#/profiles') return 'profiles';
  if (location.hash === '#/answers') return 'answers';
  if (location.hash === '#/triggers') return 'triggers';
  if (location.hash === '#/review') return 'review';
  return 'dashboard';
}

class Route {
  page = $state<Page>(current());

  constructor() {
    window.addEventListener('hashchange', () => (this.page = current()));
  }
}

export const route = new Route();
