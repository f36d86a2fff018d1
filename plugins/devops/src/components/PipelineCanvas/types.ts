/** Where a task is: its stage's index and its index within the stage. */
export type TaskPosition = { stage: number; task: number };

/**
 * What the canvas asks its editor to do. Each call is one user action; adding and
 * editing open the editor's dialogs, the rest change the pipeline straight away.
 */
export type PipelineCanvasEditor = {
  /** Add or edit the code source. */
  onEditSource(): void;
  onRemoveSource(): void;
  /** `after: -1` adds the first stage, right after the Source card. */
  onAddStage(after: number): void;
  onEditStage(index: number): void;
  onCopyStage(index: number): void;
  onDeleteStage(index: number): void;
  /** `to` is the index the stage has once moved. */
  onMoveStage(from: number, to: number): void;
  onAddTask(stage: number): void;
  onEditTask(at: TaskPosition): void;
  onCopyTask(at: TaskPosition): void;
  onDeleteTask(at: TaskPosition): void;
  /**
   * `to.task` is the index the task has once moved. A drop into another stage is
   * reported too (with that stage in `to.stage`), for the editor to refuse it aloud.
   */
  onMoveTask(from: TaskPosition, to: TaskPosition): void;
};

export type StageProblems = {
  /** About the stage itself, e.g. "a stage needs at least one task". */
  messages: string[];
  /** By task index. */
  tasks: Record<number, string[]>;
};

/** Validation problems by card, for the canvas to highlight. */
export type CanvasProblems = {
  source?: string[];
  /** By stage index. */
  stages: Record<number, StageProblems>;
};
