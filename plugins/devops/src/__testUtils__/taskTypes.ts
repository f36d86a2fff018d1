import type {
  TaskTypeInfo,
  TaskTypeList,
} from '@devops-pipelines/plugin-devops-common';
import { BUILT_IN_TASK_TYPE_INFOS } from '../components/PipelineEditor/useTaskTypes';

/** The example module's task type, as the backend serves it (`GET /task-types`). */
export const verifyFilesType: TaskTypeInfo = {
  type: 'example:verifyFiles',
  title: 'Verify files',
  description:
    'Fails when a listed file is missing from the checked-out source',
  fieldsSchema: {
    type: 'object',
    properties: {
      paths: {
        type: 'string',
        minLength: 1,
        title: 'Files',
        description: 'One path per line, relative to the repository root',
        examples: ['README.md'],
        multiline: true,
      },
      failFast: { type: 'boolean', title: 'Stop at the first missing file' },
    },
    required: ['paths'],
    additionalProperties: false,
  },
  executors: ['local', 'kubernetes'],
  podResources: true,
  builtIn: false,
};

/** The portal's list: the built-in types, then the given modules' types. */
export const taskTypeList = (...moduleTypes: TaskTypeInfo[]): TaskTypeList => ({
  items: [...BUILT_IN_TASK_TYPE_INFOS, ...moduleTypes],
});
