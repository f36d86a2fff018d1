import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  isBuiltInTaskType,
  type Task,
} from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState, type FormEvent } from 'react';
import { BUILT_IN_TASK_TYPES_ONLY, type TaskTypes } from '../useTaskTypes';
import { EnvRows } from './EnvRows';
import { moduleFieldsOf } from './moduleFields';
import { ModuleTaskFields } from './ModuleTaskFields';
import type { PublishedChart } from './publishedCharts';
import {
  useTaskSuggestions,
  type DeployTargetSuggestions,
  type SuggestedImage,
  type TaskLookups,
} from './useTaskSuggestions';
import {
  RESOURCE_FIELDS,
  TASK_FIELDS,
  VARIABLES_HINT,
  asksForResources,
  formOfTask,
  formWithType,
  validateTaskForm,
  type TaskForm,
} from './taskForm';
import { UnavailableTaskType } from './UnavailableTaskType';

/** What the deploy tasks' suggestions are, or why there are none. */
function deployTargetsNote({ items, error }: DeployTargetSuggestions): string {
  if (error) {
    return `The clusters this pipeline may deploy to could not be loaded (${error}); type the cluster's and namespace's names.`;
  }
  if (!items) return 'Loading the clusters this pipeline may deploy to…';
  if (!items.length) {
    return 'This pipeline may deploy to no cluster yet: bind one for its project on the Clusters page, or ask an admin to add one in devops.deployTargets.';
  }
  return `It may deploy to ${items
    .map(t =>
      t.namespaces
        ? `${t.cluster} (namespaces ${t.namespaces.join(', ')})`
        : `${t.cluster}${t.bound ? ' (its binding)' : ''}`,
    )
    .join(', ')}.`;
}

export type TaskDialogProps = {
  stageName: string;
  /** The task to edit; a new task when absent. */
  task?: Task;
  /** Names of the stage's other tasks, which this one may not take. */
  takenNames: readonly string[];
  /** Charts published by earlier tasks, offered to a Deploy chart task. */
  publishedCharts?: readonly PublishedChart[];
  /** Where the pipeline may deploy, offered to the deploy tasks; or why it is unknown. */
  deployTargets?: DeployTargetSuggestions;
  /** The portal's suggested images for Run script (devops.suggestedImages). */
  suggestedImages?: readonly SuggestedImage[];
  /** Asked as fields are filled in: a cluster's namespaces, a chart's versions. */
  lookups?: TaskLookups;
  /** The types to offer: the portal's, loaded once per editor; the built-in ones if absent. */
  taskTypes?: TaskTypes;
  onSave: (task: Task) => void;
  onClose: () => void;
};

/**
 * Adds or edits a task: its type, then the fields of that type (SPEC §4), each checked
 * with the shared task schema and its message shown at the field. A built-in type has
 * its own controls; a module's type gets fields generated from its schema; a task of a
 * type the portal lacks keeps its fields as they are.
 */
export const TaskDialog = (props: TaskDialogProps) => {
  const {
    stageName,
    task,
    takenNames,
    publishedCharts = [],
    deployTargets,
    suggestedImages = [],
    lookups,
    taskTypes = BUILT_IN_TASK_TYPES_ONLY,
    onSave,
    onClose,
  } = props;
  const [form, setForm] = useState<TaskForm>(() => formOfTask(task));
  const builtIn = isBuiltInTaskType(form.type) ? form.type : undefined;
  const info = taskTypes.items.find(t => t.type === form.type);
  const moduleFields = useMemo(
    () => (!builtIn && info ? moduleFieldsOf(info) : undefined),
    [builtIn, info],
  );
  // A module's task whose type is not (or not yet) in the list: kept as it is.
  const unavailable = !builtIn && !info;
  const { suggestions, notes } = useTaskSuggestions({
    form,
    publishedCharts,
    deployTargets,
    suggestedImages,
    lookups,
  });
  const deploys = form.type === 'deployYaml' || form.type === 'deployChart';
  // Fields are checked once the person tries to save, then on every change.
  const [checked, setChecked] = useState(false);
  const { task: valid, errors } = validateTaskForm(form, takenNames, info);
  const shown = checked ? errors : { fields: {}, env: {}, other: [] };

  const setField = (key: string, value: string) =>
    setForm(f => ({ ...f, fields: { ...f.fields, [key]: value } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (valid) onSave(valid);
  };

  const help = (key: string, hint?: string) => shown.fields[key] ?? hint;

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="task-dialog-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="task-dialog-title">
          {task ? `Edit task ${task.name}` : `Add task to ${stageName}`}
        </DialogTitle>
        <DialogContent>
          {unavailable ? (
            <UnavailableTaskType
              type={form.type}
              kept={form.kept}
              taskTypes={taskTypes}
            />
          ) : (
            <TextField
              id="task-type"
              label="Task type"
              select
              SelectProps={{ native: true }}
              value={form.type}
              onChange={e => {
                const chosen = taskTypes.items.find(
                  t => t.type === e.target.value,
                );
                if (chosen) setForm(f => formWithType(f, chosen));
              }}
              helperText={info?.description || undefined}
              fullWidth
              margin="dense"
            >
              {taskTypes.items.map(t => (
                <option key={t.type} value={t.type}>
                  {t.title}
                </option>
              ))}
            </TextField>
          )}
          {taskTypes.error && (
            <Typography variant="caption" color="error" component="p">
              Task types of the portal's modules could not be loaded:{' '}
              {taskTypes.error}
            </Typography>
          )}
          <TextField
            id="task-name"
            label="Name"
            required
            value={form.name}
            onChange={e => {
              const name = e.target.value;
              setForm(f => ({ ...f, name }));
            }}
            error={Boolean(shown.fields.name)}
            helperText={help('name', 'Unique within the stage')}
            fullWidth
            margin="dense"
          />
          {builtIn &&
            TASK_FIELDS[builtIn].map(field => (
              <TextField
                key={field.key}
                id={`task-${field.key}`}
                label={field.label}
                required
                multiline={field.multiline}
                minRows={field.multiline ? 4 : undefined}
                // "e.g.", so that an example is not taken for a default value.
                placeholder={field.example && `e.g. ${field.example}`}
                value={form.fields[field.key] ?? ''}
                onChange={e => setField(field.key, e.target.value)}
                error={Boolean(shown.fields[field.key])}
                helperText={help(
                  field.key,
                  (field.suggests && notes[field.suggests]) ??
                    field.hint ??
                    VARIABLES_HINT,
                )}
                fullWidth
                margin="dense"
                InputProps={
                  field.multiline ? { style: { fontFamily: 'monospace' } } : {}
                }
                inputProps={
                  field.suggests
                    ? { list: `task-${field.key}-suggestions` }
                    : {}
                }
              />
            ))}
          {moduleFields && (
            <ModuleTaskFields
              fields={moduleFields}
              form={form}
              errors={shown.fields}
              onText={setField}
              onChecked={(key, value) =>
                setForm(f => ({
                  ...f,
                  checkboxes: { ...f.checkboxes, [key]: value },
                }))
              }
            />
          )}
          {builtIn &&
            TASK_FIELDS[builtIn].map(
              ({ key, suggests }) =>
                suggests && (
                  <datalist key={key} id={`task-${key}-suggestions`}>
                    {suggestions[suggests].map(value => (
                      <option key={value} value={value} />
                    ))}
                  </datalist>
                ),
            )}
          {deploys && deployTargets && (
            <Typography variant="caption" color="textSecondary" component="p">
              {deployTargetsNote(deployTargets)}
            </Typography>
          )}
          {form.type === 'runScript' && (
            <EnvRows
              rows={form.env}
              errors={shown.env}
              onChange={env => setForm(f => ({ ...f, env }))}
            />
          )}
          {(form.type === 'deployYaml' || form.type === 'deployChart') && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={form.createNamespace}
                  onChange={e => {
                    const createNamespace = e.target.checked;
                    setForm(f => ({ ...f, createNamespace }));
                  }}
                />
              }
              label="Create the namespace if it is missing"
            />
          )}
          {form.type === 'deployChart' && (
            <TextField
              id="task-values"
              label="Parameters (chart values as JSON, optional)"
              multiline
              minRows={3}
              placeholder='{"replicaCount": 2}'
              value={form.values}
              onChange={e => {
                const values = e.target.value;
                setForm(f => ({ ...f, values }));
              }}
              error={Boolean(shown.fields.values)}
              helperText={help('values', VARIABLES_HINT)}
              fullWidth
              margin="dense"
              InputProps={{ style: { fontFamily: 'monospace' } }}
            />
          )}
          {asksForResources(form.type, info) && (
            <Box display="flex" flexWrap="wrap" gridGap={8} mt={1}>
              {RESOURCE_FIELDS.map(field => (
                <Box key={field.key} flex="1 1 120px">
                  <TextField
                    id={`task-resources-${field.key.replace('.', '-')}`}
                    label={field.label}
                    placeholder={`e.g. ${field.example}`}
                    value={form.resources[field.key] ?? ''}
                    onChange={e => {
                      const value = e.target.value;
                      setForm(f => ({
                        ...f,
                        resources: { ...f.resources, [field.key]: value },
                      }));
                    }}
                    error={Boolean(shown.fields[`resources.${field.key}`])}
                    helperText={shown.fields[`resources.${field.key}`]}
                    fullWidth
                    margin="dense"
                  />
                </Box>
              ))}
              <Typography variant="caption" color="textSecondary">
                CPU and memory of the task's pod on Kubernetes; empty: the
                portal's default. A task that uses more memory than its limit is
                stopped (OOMKilled).
              </Typography>
            </Box>
          )}
          {shown.other.map(message => (
            <Typography
              key={message}
              color="error"
              variant="body2"
              role="alert"
            >
              {message}
            </Typography>
          ))}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained">
            {task ? 'Save task' : 'Add task'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
