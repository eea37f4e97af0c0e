import { Store } from '../lib/store';

export type Route =
  | { name: 'home' }
  | { name: 'team' }
  | { name: 'projects' }
  | { name: 'saved' }
  | { name: 'tariff' }
  | { name: 'trunks' }
  | { name: 'card'; callId: number };

export function parseRoute(path: string): Route {
  const card = /^\/calls\/(\d+)\/?$/.exec(path);
  if (card) return { name: 'card', callId: Number(card[1]) };
  switch (path.replace(/\/$/, '')) {
    case '/team':
      return { name: 'team' };
    case '/projects':
      return { name: 'projects' };
    case '/saved':
      return { name: 'saved' };
    case '/tariff':
      return { name: 'tariff' };
    case '/trunks':
      return { name: 'trunks' };
    default:
      return { name: 'home' };
  }
}

export function routePath(route: Route): string {
  return route.name === 'card' ? `/calls/${route.callId}` : route.name === 'home' ? '/' : `/${route.name}`;
}

/** The History API router (the server answers index.html for every path without a dot). */
export class Router {
  readonly route = new Store<Route>(parseRoute(location.pathname));

  constructor() {
    window.addEventListener('popstate', () => this.route.set(parseRoute(location.pathname)));
  }

  go(route: Route): void {
    const path = routePath(route);
    if (location.pathname !== path) history.pushState(null, '', path);
    this.route.set(route);
  }
}
