import {
  TASK_TYPE_TITLES,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import { createContext, useContext } from 'react';

/**
 * The titles the cards show, by task type: the portal's list (a module's types), with
 * the built-in types' own titles.
 */
export function taskTypeTitles(
  taskTypes: readonly TaskTypeInfo[] = [],
): ReadonlyMap<string, string> {
  return new Map([
    ...taskTypes.map(({ type, title }) => [type, title] as const),
    ...Object.entries(TASK_TYPE_TITLES),
  ]);
}

/**
 * Passed by context, like the editor, so that node data holds only what a card shows;
 * the list arriving re-renders the cards once.
 */
export const TaskTypeTitlesContext = createContext(taskTypeTitles());

/** A task type's title, or its id when the portal has no such type (or none is known). */
export function useTaskTypeTitle(type: string): string {
  return useContext(TaskTypeTitlesContext).get(type) ?? type;
}
