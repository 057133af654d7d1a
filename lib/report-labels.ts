import { DOCUMENTS, ENDPOINTS, type EndpointId, type Source } from '../contract/index.ts';

/**
 * How a test describes itself in the report: epic = endpoint, feature = rule, story = provider, severity from
 * the documents' wording, a link to the document, and `covers` labels naming the spec items it checks (the
 * coverage table is built from those). Pure data here; the fixture writes it through the Allure runtime.
 */

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface TestDescription {
  endpoint: EndpointId;
  /** The rule the test checks, in words (becomes the Allure feature). */
  feature: string;
  /** The provider or platform the test runs with; 'any' for provider-independent rules. */
  story: string;
  /** The document line the rule comes from. */
  source: Source;
  /** Spec items the test checks, e.g. `query.state` (prefixed with the endpoint in the label). */
  covers?: readonly string[];
  /** True when the exact answer comes from the target's expectations file rather than the documents. */
  expectation?: boolean;
  severity?: Severity;
}

/**
 * Severity from the documents' wording: "required", "Must", "Required for ..." → critical; a documented
 * behaviour without such a word → normal; "Recommended" or an expectation the documents do not state → minor.
 */
export function severityFromWording(source: Source, expectation = false): Severity {
  if (expectation) return 'minor';
  const words = `${source.quote ?? ''} ${source.item}`;
  if (/\b(required|must)\b/i.test(words) || isRequiredParameter(source)) return 'critical';
  if (/\brecommended\b/i.test(words)) return 'minor';
  return 'normal';
}

/** A parameter the documents mark `required` (always or for a provider) is named by the source's item. */
function isRequiredParameter(source: Source): boolean {
  for (const endpoint of Object.values(ENDPOINTS)) {
    if (endpoint.doc !== source.doc) continue;
    const found = endpoint.params.find((p) => `${p.in}.${p.name}` === source.item);
    if (found) return found.required !== false;
  }
  return false;
}

export interface AllureLabel {
  name: string;
  value: string;
}

export const COVERS_LABEL = 'covers';
/** Which run a result belongs to (the global setup's start time), so the coverage table reads only the latest run. */
export const RUN_LABEL = 'harnessRun';
export const RUN_ENV = 'HARNESS_RUN_ID';

/** The tag of the one broken result per provider whose credentials the run could not use (lib/credential-check.ts). */
export const CREDENTIALS_REFUSED_TAG = 'credentials-refused';

export function coversValue(endpoint: EndpointId, item: string): string {
  return `${endpoint} ${item}`;
}

export function labelsFor(description: TestDescription): { labels: AllureLabel[]; link: { url: string; name: string } } {
  const endpoint = ENDPOINTS[description.endpoint];
  const labels: AllureLabel[] = [
    { name: 'epic', value: endpoint.title },
    { name: 'feature', value: description.feature },
    { name: 'story', value: description.story },
    { name: 'severity', value: description.severity ?? severityFromWording(description.source, description.expectation) },
    { name: COVERS_LABEL, value: coversValue(description.endpoint, `document ${description.source.doc}`) },
  ];
  for (const item of description.covers ?? []) labels.push({ name: COVERS_LABEL, value: coversValue(description.endpoint, item) });
  if (description.story !== 'any') labels.push({ name: COVERS_LABEL, value: coversValue(description.endpoint, `provider ${description.story}`) });
  if (description.expectation) labels.push({ name: 'tag', value: 'expectation' });
  const doc = DOCUMENTS[description.source.doc];
  return { labels, link: { url: doc.url, name: `${doc.title} (${description.source.item})` } };
}
