import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import {
  useCallback,
  useDeferredValue,
  useMemo,
  useReducer,
  useState,
} from 'react';
import { useNavigate } from 'react-router-dom';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import {
  NOT_CHECKED,
  usePipelinePermission,
} from '../../lib/usePipelinePermissions';
import { ConfirmDialog } from '../ConfirmDialog';
import { useDevopsLinks } from '../../links';
import { PipelineCanvas } from '../PipelineCanvas';
import { ConflictDialog } from './dialogs/ConflictDialog';
import { EditorDialogs, type OpenDialog } from './dialogs/EditorDialogs';
import { EditorToolbar } from './EditorToolbar';
import { PipelineNameFields } from './PipelineNameFields';
import { ProblemList } from './ProblemList';
import { draftOfPipeline } from './state/drafts';
import {
  canRedo,
  canUndo,
  createEditorState,
  editorReducer,
  isDirty,
  type PipelineDraft,
} from './state/editorState';
import {
  problemsByCard,
  validateDraft,
  type Problem,
} from './state/validateDraft';
import { useCanvasEditor } from './useCanvasEditor';
import { useLeaveGuard } from './useLeaveGuard';
import { useSavePipeline } from './useSavePipeline';
import { useTaskTypes } from './useTaskTypes';
import { useEqualValue } from './useEqualValue';
import { useUndoRedoKeys } from './useUndoRedoKeys';

export type PipelineEditorProps = {
  heading: string;
  /** What the editor opens with. */
  draft: PipelineDraft;
  /** The pipeline being edited; without it, saving creates a new pipeline. */
  pipeline?: Pipeline;
  entityEditable: boolean;
};

const NO_PROBLEMS: Problem[] = [];

/** The canvas editor of one pipeline, with its history, dialogs and saving. */
export const PipelineEditor = (props: PipelineEditorProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const links = useDevopsLinks();
  const navigate = useNavigate();
  const creating = !props.pipeline;
  const pipelineId = props.pipeline?.status.id;

  const [state, dispatch] = useReducer(editorReducer, undefined, () =>
    createEditorState(props.draft, creating),
  );
  const draft = state.present;
  const dirty = isDirty(state);
  const [version, setVersion] = useState(props.pipeline?.status.version);
  const [dialog, setDialog] = useState<OpenDialog>();
  // Problems are listed once a save was tried, then follow every edit.
  const [checking, setChecking] = useState(false);
  const [reloading, setReloading] = useState(false);
  const saver = useSavePipeline();
  const update = usePipelinePermission('update', pipelineId);
  const execute = usePipelinePermission('execute', pipelineId);
  // Whether a new pipeline may be created depends on the entity it is for, which the
  // backend checks when it is saved.
  const savePermission = creating ? NOT_CHECKED : update;
  const runPermission = creating ? NOT_CHECKED : execute;
  const guard = useLeaveGuard(dirty);
  const editor = useCanvasEditor(dispatch, setDialog);
  const taskTypes = useTaskTypes();

  // Checking 600 tasks takes a few milliseconds: typing never waits for it.
  const checkedDraft = useDeferredValue(draft);
  const validation = useMemo(
    () => (checking ? validateDraft(checkedDraft, { creating }) : undefined),
    [checking, checkedDraft, creating],
  );
  const problems = useEqualValue(
    validation && !validation.ok ? validation.problems : NO_PROBLEMS,
  );
  const canvasProblems = useEqualValue(problemsByCard(problems));
  const metadataErrors = Object.fromEntries(
    problems
      .filter(p => p.path[0] === 'metadata')
      .map(p => [String(p.path[1]), p.message]),
  );

  const onUndo = useCallback(() => dispatch({ type: 'undo' }), []);
  const onRedo = useCallback(() => dispatch({ type: 'redo' }), []);
  useUndoRedoKeys({
    enabled: !dialog && !saver.conflict && !guard.asking,
    onUndo,
    onRedo,
  });

  const save = async (andRun: boolean) => {
    setChecking(true);
    const result = validateDraft(draft, { creating });
    if (!result.ok) return;
    const saved = await saver.save(
      result.document,
      pipelineId ? { pipelineId, version: version! } : {},
    );
    if (!saved) return;
    dispatch({ type: 'saved' });
    let target = links.pipeline(saved.status.id);
    if (andRun) {
      try {
        target = links.run((await devopsApi.runPipeline(saved.status.id)).id);
      } catch (e) {
        alertApi.post({
          message: `The pipeline was saved, but its run did not start: ${errorMessage(
            e,
          )}`,
          severity: 'error',
        });
      }
    }
    guard.navigateAway(() => navigate(target));
  };

  const reload = async () => {
    setReloading(true);
    try {
      const latest = await devopsApi.getPipeline(pipelineId!);
      setVersion(latest.status.version);
      dispatch({
        type: 'load',
        draft: draftOfPipeline(latest),
        nameFollowsTitle: false,
      });
      saver.endConflict();
    } catch (e) {
      alertApi.post({
        message: `Could not reload the pipeline: ${errorMessage(e)}`,
        severity: 'error',
      });
    } finally {
      setReloading(false);
    }
  };

  return (
    <>
      <Typography variant="h5" component="h2" gutterBottom>
        {props.heading}
      </Typography>
      {savePermission.reason && (
        <Box role="status" mb={1}>
          <Typography variant="body2" color="error">
            {savePermission.reason}: you can look at it here, but not save
            changes.
          </Typography>
        </Box>
      )}
      <PipelineNameFields
        title={draft.title}
        name={draft.name}
        entityRef={draft.entityRef}
        entityEditable={props.entityEditable}
        errors={metadataErrors}
        onTitle={title => dispatch({ type: 'setTitle', title })}
        onName={name => dispatch({ type: 'setName', name })}
        onEntityRef={entityRef => dispatch({ type: 'setEntityRef', entityRef })}
      />
      <EditorToolbar
        canUndo={canUndo(state)}
        canRedo={canRedo(state)}
        dirty={dirty}
        saving={saver.saving}
        save={savePermission}
        run={runPermission}
        parameterCount={draft.spec.parameters?.length ?? 0}
        onUndo={onUndo}
        onRedo={onRedo}
        onReset={() => dispatch({ type: 'reset' })}
        onParameters={() => setDialog({ kind: 'parameters' })}
        onCancel={() =>
          guard.request(() =>
            navigate(pipelineId ? links.pipeline(pipelineId) : links.list()),
          )
        }
        onSave={() => save(false)}
        onSaveAndRun={() => save(true)}
      />
      {saver.saving && <LinearProgress />}
      {saver.error && (
        <Box role="alert" mb={2}>
          <Typography color="error">Not saved: {saver.error}</Typography>
        </Box>
      )}
      {state.notice && (
        <Box role="status" display="flex" alignItems="center" mb={1}>
          <Typography variant="body2" color="error">
            {state.notice}
          </Typography>
          <Button
            size="small"
            onClick={() => dispatch({ type: 'dismissNotice' })}
          >
            Dismiss
          </Button>
        </Box>
      )}
      {problems.length > 0 && <ProblemList problems={problems} />}
      <PipelineCanvas
        spec={draft.spec}
        editor={editor}
        problems={canvasProblems}
        taskTypes={taskTypes.items}
      />
      <EditorDialogs
        dialog={dialog}
        draft={draft}
        creating={creating}
        taskTypes={taskTypes}
        dispatch={dispatch}
        onClose={() => setDialog(undefined)}
      />
      {saver.conflict && (
        <ConflictDialog
          busy={reloading}
          onReload={reload}
          onKeepEditing={saver.endConflict}
        />
      )}
      <ConfirmDialog
        open={guard.asking}
        title="Leave without saving?"
        confirmLabel="Leave"
        destructive
        onConfirm={guard.leave}
        onClose={guard.stay}
      >
        Your changes to this pipeline are not saved. They are lost if you leave.
      </ConfirmDialog>
    </>
  );
};
