import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useMemo, type Dispatch } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef } from '../../../api';
import { errorMessage } from '../../../lib/errorMessage';
import type { TaskPosition } from '../../PipelineCanvas';
import type { EditorAction, PipelineDraft } from '../state/editorState';
import type { TaskTypes } from '../useTaskTypes';
import { ParametersDialog } from './ParametersDialog';
import { chartsPublishedBefore } from './publishedCharts';
import { SourceDialog } from './SourceDialog';
import { StageDialog } from './StageDialog';
import { TaskDialog } from './TaskDialog';
import type { TaskLookups } from './useTaskSuggestions';

/** The dialog the editor shows, if any. */
export type OpenDialog =
  | { kind: 'source' }
  | { kind: 'parameters' }
  | { kind: 'addStage'; after: number }
  | { kind: 'editStage'; index: number }
  | { kind: 'addTask'; stage: number }
  | { kind: 'editTask'; at: TaskPosition };

export type EditorDialogsProps = {
  dialog?: OpenDialog;
  draft: PipelineDraft;
  creating: boolean;
  /** The portal's task types, loaded once for the editor rather than per dialog. */
  taskTypes: TaskTypes;
  dispatch: Dispatch<EditorAction>;
  onClose: () => void;
};

/** Opens the dialog of the card being added or edited; saving it is one edit. */
export const EditorDialogs = (props: EditorDialogsProps) => {
  const { dialog, draft, creating, taskTypes, dispatch, onClose } = props;
  const { stages } = draft.spec;
  const devopsApi = useApi(devopsApiRef);
  const configApi = useApi(configApiRef);
  const suggestedImages = (
    configApi.getOptionalConfigArray('devops.suggestedImages') ?? []
  ).map(entry => ({
    image: entry.getString('image'),
    tags: entry.getOptionalStringArray('tags') ?? [],
  }));
  // Where the pipeline may deploy, loaded as a task dialog opens: its suggestions.
  const taskOpen = dialog?.kind === 'addTask' || dialog?.kind === 'editTask';
  const { entityRef } = draft;
  const targets = useAsync(
    async () =>
      taskOpen && entityRef
        ? devopsApi.listDeployTargets(entityRef, {
            cluster: draft.spec.cluster,
          })
        : undefined,
    [devopsApi, taskOpen, entityRef, draft.spec.cluster],
  );
  const deployTargets = targets.error
    ? { error: errorMessage(targets.error) }
    : { items: targets.value?.items };
  // One object while the pipeline's entity and binding stay: a new one asks again.
  const pipelineCluster = draft.spec.cluster;
  const lookups = useMemo<TaskLookups>(
    () => ({
      namespaces: target =>
        devopsApi.listDeployNamespaces(entityRef, target, {
          cluster: pipelineCluster,
        }),
      chartVersions: chart => devopsApi.listChartVersions(entityRef, chart),
    }),
    [devopsApi, entityRef, pipelineCluster],
  );
  const done = (action: EditorAction) => {
    dispatch(action);
    onClose();
  };
  switch (dialog?.kind) {
    case 'source':
      return (
        <SourceDialog
          source={draft.spec.source}
          onSave={source => done({ type: 'setSource', source })}
          onClose={onClose}
        />
      );
    case 'parameters':
      return (
        <ParametersDialog
          parameters={draft.spec.parameters ?? []}
          creating={creating}
          onSave={parameters => done({ type: 'setParameters', parameters })}
          onClose={onClose}
        />
      );
    case 'addStage':
      return (
        <StageDialog
          onSave={({ name, order }) =>
            done({
              type: 'addStage',
              after: dialog.after,
              stage: { name, order, tasks: [] },
            })
          }
          onClose={onClose}
        />
      );
    case 'editStage':
      return (
        <StageDialog
          stage={stages[dialog.index]}
          onSave={({ name, order }) =>
            done({ type: 'updateStage', index: dialog.index, name, order })
          }
          onClose={onClose}
        />
      );
    case 'addTask': {
      const stage = stages[dialog.stage];
      return (
        <TaskDialog
          stageName={stage.name}
          takenNames={stage.tasks.map(t => t.name)}
          deployTargets={deployTargets}
          suggestedImages={suggestedImages}
          lookups={entityRef ? lookups : undefined}
          taskTypes={taskTypes}
          publishedCharts={chartsPublishedBefore(draft.spec, dialog.stage)}
          onSave={task => done({ type: 'addTask', stage: dialog.stage, task })}
          onClose={onClose}
        />
      );
    }
    case 'editTask': {
      const stage = stages[dialog.at.stage];
      const task = stage.tasks[dialog.at.task];
      return (
        <TaskDialog
          stageName={stage.name}
          task={task}
          takenNames={stage.tasks.filter(t => t !== task).map(t => t.name)}
          deployTargets={deployTargets}
          suggestedImages={suggestedImages}
          lookups={entityRef ? lookups : undefined}
          taskTypes={taskTypes}
          publishedCharts={chartsPublishedBefore(
            draft.spec,
            dialog.at.stage,
            dialog.at.task,
          )}
          onSave={edited =>
            done({ type: 'updateTask', at: dialog.at, task: edited })
          }
          onClose={onClose}
        />
      );
    }
    default:
      return null;
  }
};
