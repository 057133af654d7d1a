import type { BrowserContext } from '@playwright/test';

/**
 * What the browser sent, for checks about the page's own behaviour: which origins it reached, and that no
 * secret (the client secret, say) was ever part of a request. Kept in memory only, never attached as is.
 */
export interface BrowserTraffic {
  /** `METHOD url\nbody` of every request, in order. */
  requests: string[];
  /** Every URL requested, redirects included. */
  urls: string[];
}

export function watchBrowserTraffic(context: BrowserContext): BrowserTraffic {
  const traffic: BrowserTraffic = { requests: [], urls: [] };
  context.on('request', (request) => {
    traffic.urls.push(request.url());
    traffic.requests.push(`${request.method()} ${request.url()}\n${request.postData() ?? ''}\n${JSON.stringify(request.headers())}`);
  });
  return traffic;
}
