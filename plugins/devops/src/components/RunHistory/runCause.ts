import type { RunSummary } from '@devops-pipelines/plugin-devops-common';

/** The commit as people quote it; the backend's own messages use 8 characters too. */
export const shortCommit = (commit: string) => commit.slice(0, 8);

/** `user:default/guest` reads as "guest". */
const userName = (user: string | undefined) =>
  user ? user.replace(/^.*[:/]/, '') : 'unknown';

/** What started a run: who or what. */
function describeTrigger({ trigger }: RunSummary): string {
  switch (trigger.type) {
    case 'manual':
      return `manual by ${userName(trigger.user)}`;
    case 'rerun':
      return `re-run of #${trigger.rerunOf} by ${userName(trigger.user)}`;
    case 'schedule':
      return 'timer';
    default:
      // The code host's own words, e.g. "push a6a16470 to master".
      return trigger.event ?? trigger.type;
  }
}

/** The trigger cause with the commit the run used, e.g. "manual by guest (a6a16470)". */
export function runCause(run: RunSummary): string {
  const cause = describeTrigger(run);
  if (!run.commit) {
    return cause;
  }
  const commit = shortCommit(run.commit);
  // Event descriptions often name the commit already.
  return cause.includes(commit.slice(0, 7)) ? cause : `${cause} (${commit})`;
}
