import type { CodeHostEvent } from './types';

/** Which kinds of events a pipeline's trigger starts on. */
export type EventTriggerSettings = {
  push: boolean;
  merge: boolean;
  tag: boolean;
};

export type EventDecision = { start: true } | { start: false; reason: string };

/**
 * Whether one pipeline starts for an event whose repository already matched it, and if
 * not, why, in the words its trigger panel shows. Inactivity comes last, so an inactive
 * pipeline says so only for events it would otherwise have run.
 */
export function matchEvent(
  event: CodeHostEvent,
  pipeline: { branch: string; events: EventTriggerSettings; active: boolean },
): EventDecision {
  if (!pipeline.events[event.kind]) {
    return skip(`${event.kind} events are not selected`);
  }
  if (event.kind === 'push' && event.deleted) {
    return skip(`branch ${event.branch} was deleted`);
  }
  if (event.kind === 'tag' && event.deleted) {
    return skip(`tag ${event.tag} was deleted`);
  }
  // A tag names a release whatever branch it was cut from, so it starts regardless.
  if (event.kind !== 'tag' && event.branch !== pipeline.branch) {
    return skip(`branch ${event.branch} did not match ${pipeline.branch}`);
  }
  if (!pipeline.active) return skip('the pipeline is inactive');
  return { start: true };
}

function skip(reason: string): EventDecision {
  return { start: false, reason };
}
