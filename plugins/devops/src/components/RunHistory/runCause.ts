import {
  describeRunTrigger,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';

/** The commit as people quote it; the backend's own messages use 8 characters too. */
export const shortCommit = (commit: string) => commit.slice(0, 8);

/**
 * What started a run, in the words of its log's first line, with the commit it used:
 * "Started by user Jack Smith (a6a16470)".
 */
export function runCause(run: RunSummary): string {
  const cause = describeRunTrigger(run.trigger);
  if (!run.commit) {
    return cause;
  }
  const commit = shortCommit(run.commit);
  // Event descriptions often name the commit already.
  return cause.includes(commit.slice(0, 7)) ? cause : `${cause} (${commit})`;
}
