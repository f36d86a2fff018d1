/**
 * A task type as the backend has it registered (the five built-in ones and those of
 * backend modules), for the editor: `GET /task-types`.
 *
 * @public
 */
export type TaskTypeInfo = {
  /** `runScript` for a built-in type, `<namespace>:<name>` for a module's. */
  type: string;
  /** The name the task dialog and the cards show, e.g. "Run script". */
  title: string;
  /** The hint the task dialog shows under the type: what the task does. */
  description: string;
  /**
   * The JSON Schema (draft 2020-12) of the task's own fields, besides its name, type and
   * resources. Each property may carry `title`, `description`, `examples` and
   * `multiline: true` (a field the dialog shows as several lines).
   */
  fieldsSchema: Record<string, unknown>;
  /** The executors that can run it: `local`, `kubernetes`. */
  executors: string[];
  /** Whether it runs in a pod, so that it may ask for CPU and memory. */
  podResources: boolean;
  builtIn: boolean;
};

/** @public */
export type TaskTypeList = { items: TaskTypeInfo[] };
