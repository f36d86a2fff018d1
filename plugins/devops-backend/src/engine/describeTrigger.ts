import type { RunTrigger } from '@devops-pipelines/plugin-devops-common';

/** The first line of every run log: who or what started it (SPEC §3). */
export function describeTrigger(trigger: RunTrigger): string {
  switch (trigger.type) {
    case 'manual':
      return `Started by user ${trigger.user ?? 'unknown'}`;
    case 'rerun':
      return `Started by user ${trigger.user ?? 'unknown'} (re-run${
        trigger.rerunOf ? ` of #${trigger.rerunOf}` : ''
      })`;
    case 'schedule':
      return 'Started by timer';
    default:
      return `Started by ${trigger.event ?? trigger.type}`;
  }
}
