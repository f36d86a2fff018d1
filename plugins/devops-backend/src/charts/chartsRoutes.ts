import { InputError, NotAllowedError } from '@backstage/errors';
import Router from 'express-promise-router';
import { RouterOptions, principalRef } from '../router/types';

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
  const { httpAuth, authorizer, chartVersions } = options;
  const router = Router();

  router.get('/charts/versions', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRef } = req.query;
    if (typeof entityRef !== 'string' || !entityRef) {
      throw new InputError('entityRef must be one entity ref');
    }
    const chart = parseChartName(req.query.chart);
    // As for deploy targets: those who may make (or so edit) the entity's pipelines.
    if (
      !(await authorizer.mayCreate(
        credentials,
        entityRef,
        principalRef(credentials),
      ))
    ) {
      throw new NotAllowedError(
        `You are not allowed to create or edit pipelines for ${entityRef}`,
      );
    }
    res.json(await chartVersions.list(chart));
  });

  return router;
}
