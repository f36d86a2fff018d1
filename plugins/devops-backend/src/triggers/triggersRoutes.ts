import { NotAllowedError } from '@backstage/errors';
import {
  devopsPipelineReadPermission,
  nextFireTimes,
  type PipelineTriggerState,
  type TriggerSettings,
} from '@devops-pipelines/plugin-devops-common';
import Router from 'express-promise-router';
import { DateTime } from 'luxon';
import { readablePipeline } from '../router/readablePipeline';
import type { RouterOptions } from '../router/types';

/** How many fire times the trigger panel shows. */
const FIRE_TIMES_SHOWN = 5;

/** Triggers: the timer's zone, and each pipeline's next fire times and trigger activity. */
export function triggersRoutes(options: RouterOptions) {
  const { httpAuth, authorizer, triggers, webhooks } = options;
  const router = Router();

  router.get('/triggers/settings', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    if (
      (await authorizer.listFilter(
        credentials,
        devopsPipelineReadPermission,
      )) === 'none'
    ) {
      throw new NotAllowedError('You are not allowed to read pipelines');
    }
    const settings: TriggerSettings = {
      timezone: triggers.zone,
      webhooks: {
        github: await webhooks.settings('github'),
        gitlab: await webhooks.settings('gitlab'),
      },
    };
    res.json(settings);
  });

  router.get('/pipelines/:id/triggers', async (req, res) => {
    const { pipeline } = await readablePipeline(options, req);
    const schedule = pipeline.document.spec.triggers?.schedule;
    const first = schedule ? await triggers.nextFireAt(pipeline.id) : undefined;
    const times =
      schedule && first
        ? [
            DateTime.fromJSDate(first),
            ...nextFireTimes(
              schedule,
              DateTime.fromJSDate(first),
              triggers.zone,
              FIRE_TIMES_SHOWN - 1,
            ),
          ]
        : [];
    const state: PipelineTriggerState = {
      timezone: triggers.zone,
      nextFireTimes: times.map(time => time.toUTC().toISO()!),
      activity: await triggers.listActivity(pipeline.id),
    };
    res.json(state);
  });

  return router;
}
