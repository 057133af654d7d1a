/** The base URL as the report and the summary may show it: scheme, host and path; never credentials or a query. */
export function publicBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}${url.pathname}`;
}
