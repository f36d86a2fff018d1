import { parse } from 'yaml';
import {
  ChartRepositoryUnavailable,
  RepositoryFetch,
  refusal,
} from './repositoryFetch';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The versions of `chart` in a chart repository served over HTTP, such as ChartMuseum:
 * its index, `GET <url>/index.yaml` (Helm's chart repository index, `apiVersion: v1` and
 * `entries`, a list of chart versions per chart name). A chart the index does not name
 * has no versions.
 */
export async function chartMuseumVersions(
  repositoryUrl: string,
  chart: string,
  http: RepositoryFetch,
): Promise<string[]> {
  const answer = await http.get(`${repositoryUrl}/index.yaml`);
  if (answer.status !== 200) throw refusal(answer);
  const entries = readIndexEntries(answer.body);
  // Own keys only: a chart named "constructor" must not find Object's.
  const versions = Object.hasOwn(entries, chart) ? entries[chart] : [];
  if (!Array.isArray(versions)) {
    throw notAnIndex(`entries.${chart} is not a list of chart versions`);
  }
  return versions.flatMap(entry =>
    isRecord(entry) && typeof entry.version === 'string' ? [entry.version] : [],
  );
}

function readIndexEntries(text: string): Record<string, unknown> {
  let index: unknown;
  try {
    // Helm writes indexes without anchors, so none are resolved: a few aliases of aliases
    // would otherwise expand into gigabytes. The core schema knows no custom tags.
    index = parse(text, { schema: 'core', maxAliasCount: 0 });
  } catch (error) {
    throw notAnIndex((error as Error).message.split('\n')[0]);
  }
  if (!isRecord(index) || !isRecord(index.entries)) {
    throw notAnIndex('it has no entries');
  }
  return index.entries;
}

function notAnIndex(detail: string): ChartRepositoryUnavailable {
  return new ChartRepositoryUnavailable(
    `sent an index.yaml that is not a Helm chart repository index (${detail})`,
  );
}
