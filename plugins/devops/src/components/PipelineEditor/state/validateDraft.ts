import {
  formatIssuePath,
  pipelineDocumentSchema,
  type PipelineDocument,
} from '@devops-pipelines/plugin-devops-common';
import type { CanvasProblems } from '../../PipelineCanvas';
import type { PipelineDraft } from './editorState';
import { documentOfDraft } from './drafts';

export type Problem = {
  path: readonly PropertyKey[];
  /** The path as a person reads it: `spec.stages[1].tasks`. */
  where: string;
  message: string;
};

export type DraftValidation =
  | { ok: true; document: PipelineDocument }
  | { ok: false; problems: Problem[] };

const problem = (path: readonly PropertyKey[], message: string): Problem => ({
  path,
  where: formatIssuePath(path),
  message,
});

/**
 * A new pipeline has no stored secrets to fall back on, so each secret parameter needs
 * its value typed again: the API never returns one, not even to copy it.
 */
function missingSecretValues(draft: PipelineDraft): Problem[] {
  return (draft.spec.parameters ?? []).flatMap((param, index) =>
    param.secret && !param.value
      ? [
          problem(
            ['spec', 'parameters', index, 'value'],
            `type the value of secret parameter "${param.name}": secret values are never shown or copied`,
          ),
        ]
      : [],
  );
}

/**
 * The whole document, checked with the schema the backend uses, so that every problem
 * is shown with its path before anything is sent.
 */
export function validateDraft(
  draft: PipelineDraft,
  options: { creating: boolean },
): DraftValidation {
  const result = pipelineDocumentSchema.safeParse(documentOfDraft(draft));
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map(issue => problem(issue.path, issue.message))),
    ...(options.creating ? missingSecretValues(draft) : []),
  ];
  if (result.success && problems.length === 0) {
    return { ok: true, document: result.data };
  }
  return { ok: false, problems };
}

/** Problems sorted onto the cards of the canvas they concern, to highlight those. */
export function problemsByCard(problems: readonly Problem[]): CanvasProblems {
  const cards: CanvasProblems = { stages: {} };
  for (const { path, message } of problems) {
    if (path[0] !== 'spec') continue;
    if (path[1] === 'source') {
      cards.source = [...(cards.source ?? []), message];
    } else if (path[1] === 'stages' && typeof path[2] === 'number') {
      const stage = (cards.stages[path[2]] ??= { messages: [], tasks: {} });
      if (path[3] === 'tasks' && typeof path[4] === 'number') {
        stage.tasks[path[4]] = [...(stage.tasks[path[4]] ?? []), message];
      } else {
        stage.messages.push(message);
      }
    }
  }
  return cards;
}
