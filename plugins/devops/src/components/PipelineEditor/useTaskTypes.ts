import { useApi } from '@backstage/core-plugin-api';
import {
  BUILT_IN_TASK_TYPES,
  TASK_TYPE_TITLES,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { hasPodResources } from './dialogs/taskForm';

/** The task types the editor offers, as far as they are known. */
export type TaskTypes = {
  /** The portal's types; only the built-in ones while loading or after a failure. */
  items: readonly TaskTypeInfo[];
  loading: boolean;
  /** Why the portal's types could not be loaded. */
  error?: string;
};

/**
 * The built-in types as this package knows them, offered until the portal's list
 * arrives: every backend has them, so they are never a type the backend lacks. The
 * dialog asks for their fields with its own controls, so no schema is needed.
 */
export const BUILT_IN_TASK_TYPE_INFOS: readonly TaskTypeInfo[] =
  BUILT_IN_TASK_TYPES.map(type => ({
    type,
    title: TASK_TYPE_TITLES[type],
    description: '',
    fieldsSchema: {},
    executors: [],
    podResources: hasPodResources(type),
    builtIn: true,
  }));

/** The built-in types alone, loaded: the dialog's and canvas's default. */
export const BUILT_IN_TASK_TYPES_ONLY: TaskTypes = {
  items: BUILT_IN_TASK_TYPE_INFOS,
  loading: false,
};

/**
 * The portal's task types (the built-in ones and those of its backend modules), loaded
 * once per editor page: every task dialog and card of the page shares them.
 */
export function useTaskTypes(): TaskTypes {
  const devopsApi = useApi(devopsApiRef);
  const { value, loading, error } = useAsync(
    () => devopsApi.listTaskTypes(),
    [devopsApi],
  );
  return useMemo(
    () => ({
      items: value?.items ?? BUILT_IN_TASK_TYPE_INFOS,
      loading,
      error: error && errorMessage(error),
    }),
    [value, loading, error],
  );
}
