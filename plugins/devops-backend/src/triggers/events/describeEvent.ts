import type { CodeHostEvent, CodeHostProvider } from './types';

/** How each host writes a pull or merge request number: #12 on GitHub, !12 on GitLab. */
const REQUEST_PREFIX: Record<CodeHostProvider, string> = {
  github: '#',
  gitlab: '!',
};

/** The run's cause as users read it: "push a6a16470 to main", "merge of #12 into main". */
export function describeEvent(event: CodeHostEvent): string {
  if (event.kind === 'push') {
    return `push ${event.commit.slice(0, 8)} to ${event.branch}`;
  }
  if (event.kind === 'merge') {
    const request = `${REQUEST_PREFIX[event.provider]}${event.number}`;
    return `merge of ${request} into ${event.branch}`;
  }
  return `tag ${event.tag}`;
}
