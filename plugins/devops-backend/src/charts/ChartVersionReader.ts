import { Config } from '@backstage/config';
import type { ChartVersions } from '@devops-pipelines/plugin-devops-common';
import type { ChartRepository } from '../tasks/chartRepository';
import { readTaskToolSettings } from '../tasks/config';
import { chartMuseumVersions } from './chartMuseumVersions';
import { newestFirst } from './newestFirst';
import { ociChartVersions } from './ociChartVersions';
import { ChartRepositoryUnavailable, RepositoryFetch } from './repositoryFetch';

export type ChartVersionReaderOptions = {
  /** `devops.chartRepository`; without it there is nothing to list. */
  repository?: ChartRepository;
  /** How long one listing may take in all. Default: 5 s. */
  timeoutMs?: number;
  /** How long an answer is reused, so that the dialog does not ask on every keystroke. Default: 60 s. */
  cacheMs?: number;
  /** Reach an OCI registry over plain HTTP, as `helm --plain-http`. Default: false. */
  plainHttp?: boolean;
  now?: () => number;
};

const NO_REPOSITORY =
  'No chart repository is configured (devops.chartRepository), so the portal cannot list chart versions (the portal admin may configure one)';

/** The versions of a chart that the portal's chart repository holds. */
export class ChartVersionReader {
  readonly #cache = new Map<
    string,
    { expiresAt: number; answer: Promise<ChartVersions> }
  >();

  static fromConfig(config: Config): ChartVersionReader {
    return new ChartVersionReader({
      repository: readTaskToolSettings(config).chartRepository,
    });
  }

  constructor(private readonly options: ChartVersionReaderOptions) {}

  /** `chart` must be a valid chart name: it goes into the repository's URLs. */
  list(chart: string): Promise<ChartVersions> {
    const now = (this.options.now ?? Date.now)();
    for (const [key, entry] of this.#cache) {
      if (entry.expiresAt <= now) this.#cache.delete(key);
    }
    const cached = this.#cache.get(chart);
    if (cached) return cached.answer;

    // Callers that ask while a listing runs share it.
    const answer = this.#ask(chart);
    const entry = { expiresAt: now + (this.options.cacheMs ?? 60_000), answer };
    this.#cache.set(chart, entry);
    // A failure that is not the repository's (a bug) is not kept.
    answer.catch(() => {
      if (this.#cache.get(chart) === entry) this.#cache.delete(chart);
    });
    return answer;
  }

  async #ask(chart: string): Promise<ChartVersions> {
    const { repository, timeoutMs = 5_000, plainHttp } = this.options;
    if (!repository) return { versions: [], unavailable: NO_REPOSITORY };
    const http = new RepositoryFetch(timeoutMs);
    try {
      const versions =
        repository.type === 'oci'
          ? await ociChartVersions(repository.url, chart, http, { plainHttp })
          : await chartMuseumVersions(repository.url, chart, http);
      return { versions: newestFirst(versions) };
    } catch (error) {
      if (!(error instanceof ChartRepositoryUnavailable)) throw error;
      return {
        versions: [],
        unavailable: `The chart repository ${repository.url} ${error.message}, so its versions cannot be listed here`,
      };
    }
  }
}
