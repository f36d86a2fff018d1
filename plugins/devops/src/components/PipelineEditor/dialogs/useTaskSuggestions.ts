import type {
  ChartVersions,
  DeployNamespaces,
  DeployTargetChoice,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { errorMessage } from '../../../lib/errorMessage';
import type { PublishedChart } from './publishedCharts';
import type { TaskField, TaskForm } from './taskForm';

/** An image the portal suggests, with its tags. */
export type SuggestedImage = { image: string; tags: string[] };

/** The clusters a deploy task may target, as loaded for the dialog. */
export type DeployTargetSuggestions = {
  items?: readonly DeployTargetChoice[];
  /** Why they could not be loaded: the fields take any name, as always. */
  error?: string;
};

/** What the dialog asks the backend as fields are filled in. */
export type TaskLookups = {
  /** The namespaces of one of the clusters the pipeline may deploy to. */
  namespaces(cluster: string): Promise<DeployNamespaces>;
  /** The versions the chart repository holds of a chart. */
  chartVersions(chart: string): Promise<ChartVersions>;
};

type SuggestionKey = NonNullable<TaskField['suggests']>;

/** A name a chart repository may hold; anything else (a `${VAR}`, half a name) is not asked for. */
const CHART_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** Typing pauses this long before the backend is asked. */
const LOOKUP_DELAY_MS = 300;

/**
 * Loads what `load` gives for `key` once the key stopped changing, lazily (nothing while
 * there is no key). A result is only ever given for the key it was asked for.
 */
function useLookup<T>(
  key: string | undefined,
  load: ((key: string) => Promise<T>) | undefined,
) {
  const [settled, setSettled] = useState(key);
  useDebounce(() => setSettled(key), LOOKUP_DELAY_MS, [key]);
  const state = useAsync(
    async () => (settled && load ? load(settled) : undefined),
    [settled, load],
  );
  return settled === key ? state : { loading: true, value: undefined };
}

/** What a field says about its lookup: loading, why it has nothing, or nothing. */
function lookupNote(
  state: { loading: boolean; error?: Error; value?: { unavailable?: string } },
  what: string,
  typed: string,
): string | undefined {
  if (state.loading) return `Loading ${what}…`;
  if (state.error) {
    return `${what[0].toUpperCase()}${what.slice(1)} could not be loaded (${errorMessage(
      state.error,
    )}); type the ${typed}.`;
  }
  const unavailable = state.value?.unavailable;
  return unavailable ? `${unavailable}; type the ${typed}.` : undefined;
}

const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * The values each suggesting field offers as it is typed (the datalists), and what a
 * field says about where they come from: charts published earlier in the pipeline and
 * the chart repository's versions, the clusters the pipeline may deploy to and their
 * namespaces as the cluster lists them, the portal's suggested images.
 */
export function useTaskSuggestions(options: {
  form: TaskForm;
  publishedCharts: readonly PublishedChart[];
  deployTargets?: DeployTargetSuggestions;
  suggestedImages: readonly SuggestedImage[];
  lookups?: TaskLookups;
}) {
  const { form, publishedCharts, deployTargets, suggestedImages, lookups } =
    options;
  const { cluster = '', chart = '', image = '' } = form.fields;
  const deploys = form.type === 'deployYaml' || form.type === 'deployChart';
  const targets = deployTargets?.items ?? [];
  const target = deploys ? targets.find(t => t.cluster === cluster) : undefined;
  const namespaces = useLookup(target?.cluster, lookups?.namespaces);
  const versions = useLookup(
    form.type === 'deployChart' && CHART_NAME.test(chart) ? chart : undefined,
    lookups?.chartVersions,
  );

  const suggestions: Record<SuggestionKey, string[]> = {
    chart: unique(publishedCharts.map(c => c.chart)),
    version: unique([
      ...publishedCharts.filter(c => c.chart === chart).map(c => c.version),
      ...(versions.value?.versions ?? []),
    ]),
    cluster: targets.map(t => t.cluster),
    namespace: unique([
      // Names only: a pattern such as web-* is no namespace to pick.
      ...(target?.namespaces ?? []).filter(name => !name.includes('*')),
      ...(namespaces.value?.namespaces ?? []),
    ]),
    image: suggestedImages.map(i => i.image),
    tag: suggestedImages.find(i => i.image === image)?.tags ?? [],
  };
  const notes: Partial<Record<SuggestionKey, string>> = {
    namespace: target
      ? lookupNote(
          namespaces,
          `the namespaces of cluster ${target.cluster}`,
          "namespace's name",
        )
      : undefined,
    version:
      form.type === 'deployChart' && CHART_NAME.test(chart)
        ? lookupNote(versions, `the versions of chart ${chart}`, 'version')
        : undefined,
  };
  return { suggestions, notes };
}
