import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import { pipelineEditorEntity } from '../router/pipelineEditorEntity';
import type { RouterOptions } from '../router/types';

/** Helm's chart names: a DNS-1123 label (lowercase letters, digits, inner dashes). */
const CHART_NAME_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parseChartName(chart: unknown): string {
  if (typeof chart !== 'string' || !chart) {
    throw new InputError('chart must be one chart name');
  }
  if (!CHART_NAME_PATTERN.test(chart)) {
    throw new InputError(
      `"${chart}" is not a Helm chart name: chart names are 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
    );
  }
  return chart;
}

/** Charts in the portal's chart repository, for the Deploy chart task dialog. */
export function chartsRoutes(options: RouterOptions) {
  const { chartVersions } = options;
  const router = Router();

  router.get('/charts/versions', async (req, res) => {
    const chart = parseChartName(req.query.chart);
    await pipelineEditorEntity(req, options);
    res.json(await chartVersions.list(chart));
  });

  return router;
}
