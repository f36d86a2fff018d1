import { InfoCard } from '@backstage/core-components';
import { RunHistory, useRunHistory } from '../RunHistory';

/** How many runs the records tab reads at a time (SPEC §3: the most recent 50). */
export const RECORDS_PAGE_SIZE = 50;

export type PipelineRunRecordsProps = {
  pipelineId: string;
  refreshKey: string;
  onChanged: () => void;
};

/** The records tab: the latest 50 runs, older ones on demand. */
export const PipelineRunRecords = ({
  pipelineId,
  refreshKey,
  onChanged,
}: PipelineRunRecordsProps) => (
  <InfoCard>
    <RunHistory
      history={useRunHistory(pipelineId, {
        pageSize: RECORDS_PAGE_SIZE,
        refreshKey,
      })}
      onChanged={onChanged}
    />
  </InfoCard>
);
