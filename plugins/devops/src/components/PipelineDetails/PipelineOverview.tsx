import Grid from '@material-ui/core/Grid';
import { InfoCard } from '@backstage/core-components';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { PipelineCanvas } from '../PipelineCanvas';
import { useTaskTypes } from '../PipelineEditor/useTaskTypes';
import { RunHistory, useRunHistory } from '../RunHistory';
import { AdvancedSettingsCard } from './AdvancedSettingsCard';
import { BasicInfoCard } from './BasicInfoCard';
import { LatestRunCard } from './LatestRunCard';
import { TriggerRulesCard } from './TriggerRulesCard';
import { TriggerActivityCard, usePipelineTriggers } from '../TriggerActivity';

/** How many runs the overview shows; the records tab shows more. */
export const OVERVIEW_RUNS = 5;

export type PipelineOverviewProps = {
  pipeline: Pipeline;
  /** Changes when the latest run does, to read the runs again. */
  refreshKey: string;
  onViewMore: () => void;
  onChanged: () => void;
};

/** Everything about a pipeline on one page, with its latest runs. */
export const PipelineOverview = ({
  pipeline,
  refreshKey,
  onViewMore,
  onChanged,
}: PipelineOverviewProps) => {
  const history = useRunHistory(pipeline.status.id, {
    pageSize: OVERVIEW_RUNS,
    refreshKey,
  });
  // Saved rules change the fire times; a new run may come from a trigger.
  const triggers = usePipelineTriggers(
    pipeline.status.id,
    `${refreshKey}:${pipeline.status.version}`,
  );
  // The cards name modules' task types by their titles.
  const taskTypes = useTaskTypes();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <BasicInfoCard pipeline={pipeline} />
      </Grid>
      <Grid item xs={12} md={6}>
        <LatestRunCard run={pipeline.status.lastRun} />
      </Grid>
      <Grid item xs={12} md={6}>
        <TriggerRulesCard
          pipeline={pipeline}
          triggerState={triggers.value}
          onSaved={onChanged}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <AdvancedSettingsCard pipeline={pipeline} onSaved={onChanged} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Pipeline"
          subheader={
            history.runs[0]
              ? `Coloured by run #${history.runs[0].buildId}`
              : undefined
          }
        >
          {/* The list's newest run carries its stages, which the summary lacks. */}
          <PipelineCanvas
            spec={pipeline.spec}
            run={history.runs[0]}
            taskTypes={taskTypes.items}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <TriggerActivityCard
          state={triggers.value}
          error={triggers.error}
          loading={triggers.loading}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard>
          <RunHistory
            history={history}
            onViewMore={onViewMore}
            onChanged={onChanged}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
};
