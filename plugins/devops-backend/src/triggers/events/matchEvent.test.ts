import { EventTriggerSettings, matchEvent } from './matchEvent';
import type { CodeHostEvent } from './types';

const ALL_EVENTS: EventTriggerSettings = { push: true, merge: true, tag: true };

const pipeline = (
  overrides: Partial<{
    branch: string;
    events: EventTriggerSettings;
    active: boolean;
  }> = {},
) => ({ branch: 'main', events: ALL_EVENTS, active: true, ...overrides });

const common = {
  provider: 'github' as const,
  repositoryUrls: ['https://github.com/octo/app'],
};
const COMMIT = 'a6a1647045f2c9d8b1e3f0a7c4d2b5e8f9a0c1d3';

const push = (branch: string, deleted = false): CodeHostEvent => ({
  ...common,
  kind: 'push',
  branch,
  commit: COMMIT,
  deleted,
});
const merge = (branch: string): CodeHostEvent => ({
  ...common,
  kind: 'merge',
  branch,
  commit: COMMIT,
  number: 12,
});
const tag = (name: string, deleted = false): CodeHostEvent => ({
  ...common,
  kind: 'tag',
  tag: name,
  commit: COMMIT,
  deleted,
});

describe('matchEvent', () => {
  it.each([
    ['a push to', push('main')],
    ['a merge into', merge('main')],
  ])('starts for %s the pipeline branch', (_, event) => {
    expect(matchEvent(event, pipeline())).toEqual({ start: true });
  });

  it('starts for a tag whatever the pipeline branch', () => {
    expect(matchEvent(tag('v1'), pipeline({ branch: 'release' }))).toEqual({
      start: true,
    });
  });

  it.each([
    ['push', push('main')],
    ['merge', merge('main')],
    ['tag', tag('v1')],
  ] as const)(
    'skips a %s event when its kind is not selected',
    (kind, event) => {
      const events = { ...ALL_EVENTS, [kind]: false };

      expect(matchEvent(event, pipeline({ events }))).toEqual({
        start: false,
        reason: `${kind} events are not selected`,
      });
    },
  );

  it.each([
    ['branch main was deleted', push('main', true)],
    ['tag v1 was deleted', tag('v1', true)],
  ])('skips a deletion: %s', (reason, event) => {
    expect(matchEvent(event, pipeline())).toEqual({ start: false, reason });
  });

  it.each([
    ['push to', push('feature-x')],
    ['merge into', merge('feature-x')],
  ])('skips a %s another branch', (_, event) => {
    expect(matchEvent(event, pipeline())).toEqual({
      start: false,
      reason: 'branch feature-x did not match main',
    });
  });

  it('skips an event it would run when the pipeline is inactive', () => {
    expect(matchEvent(push('main'), pipeline({ active: false }))).toEqual({
      start: false,
      reason: 'the pipeline is inactive',
    });
  });

  it('names the first reason: kind, then deletion, then branch, then inactivity', () => {
    const inactive = { active: false };
    const noPush = { ...ALL_EVENTS, push: false };

    expect(
      matchEvent(
        push('feature-x', true),
        pipeline({ ...inactive, events: noPush }),
      ),
    ).toMatchObject({ reason: 'push events are not selected' });
    expect(
      matchEvent(push('feature-x', true), pipeline(inactive)),
    ).toMatchObject({ reason: 'branch feature-x was deleted' });
    expect(matchEvent(merge('feature-x'), pipeline(inactive))).toMatchObject({
      reason: 'branch feature-x did not match main',
    });
    expect(matchEvent(tag('v1', true), pipeline(inactive))).toMatchObject({
      reason: 'tag v1 was deleted',
    });
  });
});
