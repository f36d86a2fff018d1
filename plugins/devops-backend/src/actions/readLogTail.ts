import type { Run } from '@devops-pipelines/plugin-devops-common';
import type { DatabaseLogStore } from '../database/DatabaseLogStore';
import { logTaskFilter } from '../router/operations';

/**
 * The last `lines` lines of a run's log, or of one step's (`task`, as the log route takes
 * it), read from the log's end a page at a time: memory stays that of a page and the
 * tail, whatever the log's size; the earlier lines are only counted, in the database.
 * Without a step, a task's lines start with `[its name] `, as in the downloaded log,
 * since parallel tasks' lines interleave.
 */
export async function readLogTail(
  logs: Pick<DatabaseLogStore, 'pageBackwards' | 'countLines'>,
  run: Run,
  options: { lines: number; task?: string },
) {
  const taskId = logTaskFilter(options.task);
  // Step names as the run's page shows them, from the run as get-run gives it.
  const names = new Map<string, string>([
    ...run.setup.map(step => [step.step, step.name] as const),
    ...run.stages.flatMap(stage =>
      stage.tasks.map(task => [task.id, task.name] as const),
    ),
  ]);
  /** The lines of each chunk read, newest chunk first. */
  const newestFirst: string[][] = [];
  let read = 0;
  let oldestSeq: number | undefined;
  while (read < options.lines) {
    const { chunks, more } = await logs.pageBackwards(run.id, {
      beforeSeq: oldestSeq,
      taskId,
    });
    for (const chunk of chunks) {
      const label =
        taskId === undefined && chunk.taskId
          ? `[${names.get(chunk.taskId) ?? chunk.taskId}] `
          : '';
      const lines = chunk.text.split('\n');
      // Chunks hold whole lines, each ending with a newline.
      if (lines[lines.length - 1] === '') lines.pop();
      newestFirst.push(lines.map(line => label + line));
      read += lines.length;
      oldestSeq = chunk.seq;
      if (read >= options.lines) break;
    }
    if (!more) break;
  }
  const tail = newestFirst.reverse().flat().slice(-options.lines);
  const unread =
    read >= options.lines && oldestSeq !== undefined
      ? await logs.countLines(run.id, { beforeSeq: oldestSeq, taskId })
      : 0;
  return {
    text: tail.join('\n'),
    lineCount: tail.length,
    omittedLines: read - tail.length + unread,
  };
}
