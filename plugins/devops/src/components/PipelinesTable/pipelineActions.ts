import {
  isFinalStatus,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import type { DevopsApi } from '../../api';
import { downloadText } from '../../lib/downloadText';
import { pipelineTitle } from '../../lib/pipelineTitle';
import {
  NOT_CHECKED,
  type ActionPermission,
  type PipelinePermissionName,
  type PipelinePermissions,
} from '../../lib/usePipelinePermissions';

/** What the list can do to one pipeline, and what it asks first. */
export type PipelineAction = {
  /** The verb of menus, buttons and error messages ("Could not run ..."). */
  verb: string;
  /** The permission the action needs; export needs none beyond seeing the pipeline. */
  permission?: PipelinePermissionName;
  /** Asked before the action; actions without it (export) start straight away. */
  confirm?: {
    title: string;
    text: (pipeline: Pipeline) => string;
    label: string;
    destructive?: boolean;
  };
  perform: (api: DevopsApi, pipeline: Pipeline) => Promise<string | void>;
  /** Whether the list has to be read again to show the effect. */
  changesList: boolean;
};

export type PipelineActionId =
  | 'run'
  | 'stop'
  | 'activate'
  | 'deactivate'
  | 'export'
  | 'delete';

export const pipelineActions: Record<PipelineActionId, PipelineAction> = {
  run: {
    verb: 'Run',
    permission: 'execute',
    confirm: {
      title: 'Run pipeline?',
      text: p => `Start a new run of "${pipelineTitle(p)}" now?`,
      label: 'Run',
    },
    perform: async (api, p) => {
      const run = await api.runPipeline(p.status.id);
      return `Started run #${run.buildId} of "${pipelineTitle(p)}"`;
    },
    changesList: true,
  },
  stop: {
    verb: 'Stop',
    permission: 'execute',
    confirm: {
      title: 'Stop the running run?',
      text: p =>
        `Stop run #${p.status.lastRun?.buildId} of "${pipelineTitle(p)}"? ` +
        'Tasks that are still running are ended.',
      label: 'Stop',
      destructive: true,
    },
    perform: async (api, p) => {
      await api.stopPipeline(p.status.id);
      return `Stopping "${pipelineTitle(p)}"`;
    },
    changesList: true,
  },
  activate: {
    verb: 'Activate',
    permission: 'activate',
    confirm: {
      title: 'Activate pipeline?',
      text: p =>
        `Activate "${pipelineTitle(p)}"? Its triggers start runs again, ` +
        'and it can be run by hand.',
      label: 'Activate',
    },
    perform: async (api, p) => {
      await api.activatePipeline(p.status.id);
    },
    changesList: true,
  },
  deactivate: {
    verb: 'Deactivate',
    permission: 'activate',
    confirm: {
      title: 'Deactivate pipeline?',
      text: p =>
        `Deactivate "${pipelineTitle(p)}"? Triggers no longer start it, ` +
        'and manual runs are refused until it is activated again.',
      label: 'Deactivate',
      destructive: true,
    },
    perform: async (api, p) => {
      await api.deactivatePipeline(p.status.id);
    },
    changesList: true,
  },
  export: {
    verb: 'Export',
    perform: async (api, p) => {
      const yaml = await api.exportPipeline(p.status.id);
      downloadText(yaml, `${p.metadata.name}.yaml`, 'application/yaml');
    },
    changesList: false,
  },
  delete: {
    verb: 'Delete',
    permission: 'delete',
    confirm: {
      title: 'Delete pipeline?',
      text: p => {
        const { lastRun } = p.status;
        // The backend stops unfinished runs before it deletes (SPEC §2 asks only to confirm).
        const running =
          lastRun && !isFinalStatus(lastRun.status)
            ? ` Run #${lastRun.buildId} is still ${lastRun.status}: it is stopped first.`
            : '';
        return `Delete "${pipelineTitle(
          p,
        )}" and its run history?${running} This cannot be undone.`;
      },
      label: 'Delete',
      destructive: true,
    },
    perform: async (api, p) => {
      await api.deletePipeline(p.status.id);
      return `Deleted "${pipelineTitle(p)}"`;
    },
    changesList: true,
  },
};

/** What the portal's permission policy says about one of the actions on a pipeline. */
export const actionPermission = (
  permissions: PipelinePermissions,
  id: PipelineActionId,
): ActionPermission => {
  const { permission } = pipelineActions[id];
  return permission ? permissions[permission] : NOT_CHECKED;
};
