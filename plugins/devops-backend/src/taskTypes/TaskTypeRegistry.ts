import { InputError } from '@backstage/errors';
import {
  describeIssues,
  isBuiltInTaskType,
  MODULE_TASK_TYPE_PATTERN,
  type PipelineDocument,
  type Task,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import type {
  DevopsTaskType,
  LocalTaskPlanner,
  TaskPlanner,
} from '@devops-pipelines/plugin-devops-node';
import { z } from 'zod';

/** What every task has, whatever its type: not part of a type's own fields. */
const COMMON_FIELDS = ['name', 'type', 'resources'];

type Registered = {
  taskType: DevopsTaskType;
  fields: z.ZodObject;
  info: TaskTypeInfo;
};

/**
 * The task types this portal runs: the built-in ones and those backend modules added
 * (devopsTaskTypesExtensionPoint). Checks a pipeline's tasks against them as it is
 * saved, and gives each executor a type's planner and the editor their descriptions.
 */
export class TaskTypeRegistry {
  readonly #types = new Map<string, Registered>();

  /** Throws at startup on a clash or a malformed type, naming it. */
  constructor(builtIn: DevopsTaskType[], fromModules: DevopsTaskType[]) {
    for (const taskType of builtIn) this.#add(taskType, true);
    for (const taskType of fromModules) {
      if (!MODULE_TASK_TYPE_PATTERN.test(taskType.type)) {
        throw new Error(
          `A backend module registered the task type "${taskType.type}": a module's task types are named <namespace>:<name>, e.g. "example:verifyFiles"`,
        );
      }
      this.#add(taskType, false);
    }
  }

  #add(taskType: DevopsTaskType, builtIn: boolean) {
    if (this.#types.has(taskType.type)) {
      throw new Error(
        `The task type "${taskType.type}" is registered twice; each backend module must use a namespace of its own`,
      );
    }
    // Strict: a field the type does not have is a mistake, not something to keep.
    const fields = taskType.fields(z).strict();
    const clash = COMMON_FIELDS.find(key => key in fields.shape);
    if (clash) {
      throw new Error(
        `The fields of task type "${taskType.type}" include "${clash}", which every task has; give the field another name`,
      );
    }
    const { kubernetes, local } = taskType.planners;
    // As typed in the dialog (`io: 'input'`): a field with a default may be left empty.
    const { $schema: _, ...fieldsSchema } = z.toJSONSchema(fields, {
      io: 'input',
    }) as Record<string, unknown>;
    this.#types.set(taskType.type, {
      taskType,
      fields,
      info: {
        type: taskType.type,
        title: taskType.title,
        description: taskType.description,
        fieldsSchema,
        executors: [
          ...(local ? ['local'] : []),
          ...(kubernetes ? ['kubernetes'] : []),
        ],
        podResources: taskType.podResources ?? Boolean(kubernetes),
        builtIn,
      },
    });
  }

  /** For the editor: built-in types first, then modules' in the order they registered. */
  list(): TaskTypeInfo[] {
    return [...this.#types.values()].map(({ info }) => info);
  }

  /** The name a log line or message gives the type; its id when no module has it now. */
  title(type: string): string {
    return this.#types.get(type)?.info.title ?? type;
  }

  /**
   * Checks each task of a module's type against that type's fields, as the shared schema
   * checks the built-in ones. Throws an InputError naming every problem at its path, e.g.
   * `spec.stages[0].tasks[1].paths: ...`, as a request the shared schema refuses does.
   */
  checkDocument(document: PipelineDocument): void {
    const issues = document.spec.stages.flatMap((stage, i) =>
      stage.tasks.flatMap((task, j) =>
        this.#issuesOf(task).map(issue => ({
          ...issue,
          path: ['spec', 'stages', i, 'tasks', j, ...issue.path],
        })),
      ),
    );
    if (issues.length) {
      throw new InputError(
        `Invalid request: ${describeIssues(new z.ZodError(issues))}`,
      );
    }
  }

  #issuesOf(task: Task): z.core.$ZodIssue[] {
    if (isBuiltInTaskType(task.type)) return [];
    const registered = this.#types.get(task.type);
    if (!registered) {
      const known = this.list()
        .map(info => info.type)
        .join(', ');
      return [
        {
          code: 'custom',
          input: task.type,
          path: ['type'],
          message: `this portal has no task type "${task.type}" (is the backend module that adds it installed?); its task types are ${known}`,
        },
      ];
    }
    const own = Object.fromEntries(
      Object.entries(task).filter(([key]) => !COMMON_FIELDS.includes(key)),
    );
    const result = registered.fields.safeParse(own);
    return result.success ? [] : result.error.issues;
  }

  /** How the Kubernetes executor runs the type, if it can. */
  kubernetesPlanner(type: string): TaskPlanner | undefined {
    return this.#types.get(type)?.taskType.planners.kubernetes;
  }

  /** How the local executor runs the type, if it can. */
  localPlanner(type: string): LocalTaskPlanner | undefined {
    return this.#types.get(type)?.taskType.planners.local;
  }

  /** Why an executor cannot run a task, saying where it can. */
  cannotRun(type: string, executor: 'local' | 'kubernetes'): string {
    const registered = this.#types.get(type);
    const title = this.title(type);
    if (!registered) {
      return `This portal has no task type "${type}" (is the backend module that adds it installed?)`;
    }
    const elsewhere = registered.info.executors;
    if (executor === 'local' && elsewhere.includes('kubernetes')) {
      return `The local executor cannot run "${title}" tasks; they need a Kubernetes cluster bound to DevOps (see the Clusters page)`;
    }
    return elsewhere.length
      ? `The ${executor} executor cannot run "${title}" tasks; they run on the ${elsewhere.join(
          ' or ',
        )} executor`
      : `No executor of this portal can run "${title}" tasks`;
  }
}
