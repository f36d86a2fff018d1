import type { RunTrigger } from './run';

/** `user:default/jack` reads as "jack" where the catalog gave no display name. */
const nameOfRef = (ref: string) => ref.replace(/^.*[:/]/, '');

/** Who started a manual run or re-run, in words: "Jack Smith", else "jack". */
function triggerUserName(trigger: RunTrigger): string {
  if (trigger.userName) return trigger.userName;
  return trigger.user ? nameOfRef(trigger.user) : 'unknown';
}

/**
 * Who or what started a run, in people's words (SPEC §3), the same on the run page, the
 * run cards and the first line of the run's log: "Started by user Jack Smith", "Started
 * by user Jack Smith (re-run of #4)", "Started by timer", "Started by push a6a16470 to
 * main".
 *
 * @public
 */
export function describeRunTrigger(trigger: RunTrigger): string {
  switch (trigger.type) {
    case 'manual':
      return `Started by user ${triggerUserName(trigger)}`;
    case 'rerun':
      return `Started by user ${triggerUserName(trigger)} (re-run${
        trigger.rerunOf ? ` of #${trigger.rerunOf}` : ''
      })`;
    case 'schedule':
      return 'Started by timer';
    default:
      // The code host's event in its own words, e.g. "push a6a16470 to main".
      return `Started by ${trigger.event ?? trigger.type}`;
  }
}
