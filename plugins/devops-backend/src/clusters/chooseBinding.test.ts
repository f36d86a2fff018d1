import { applicableBindings, chooseBinding, explainBinding } from './chooseBinding';
import type { ClusterBinding, ClusterHealthState } from './types';

const binding = (name: string, scope: string[] = [], health: ClusterHealthState = 'healthy'): ClusterBinding => ({
  name,
  namespace: 'devops-pipelines',
  scope,
  health,
  createdBy: 'user:default/admin',
  createdAt: '2026-11-30T00:00:00.000Z',
});

describe('chooseBinding', () => {
  it('chooses nothing when nothing is bound, or nothing covers the owners', () => {
    expect(chooseBinding([], ['group:default/team-a'])).toBeUndefined();
    expect(chooseBinding([binding('b', ['group:default/team-b'])], ['group:default/team-a'])).toBeUndefined();
  });

  it("prefers a binding scoped to an owner over a portal-wide one, comparing refs without case", () => {
    const portal = binding('portal');
    const teamA = binding('team-a', ['group:default/team-b', 'group:default/Team-A']);
    expect(chooseBinding([portal, teamA], ['group:default/team-a'])).toBe(teamA);
    expect(chooseBinding([portal, teamA], ['group:default/team-c'])).toBe(portal);
    expect(chooseBinding([portal, teamA], [])).toBe(portal);
  });

  it('chooses the oldest among equals, so pipelines stay on one cluster', () => {
    const first = binding('first');
    const second = binding('second');
    expect(chooseBinding([first, second], [])).toBe(first);
  });

  it('lets a usable binding take over from one whose cluster was removed', () => {
    const removedScoped = binding('old-team-a', ['group:default/team-a'], 'removed');
    const portal = binding('portal');
    const removedPortal = binding('old-portal', [], 'removed');
    expect(chooseBinding([removedScoped, portal], ['group:default/team-a'])).toBe(portal);
    expect(chooseBinding([removedPortal, portal], [])).toBe(portal);
    // With nothing usable left, the removed binding still answers, so runs fail saying why.
    expect(chooseBinding([removedPortal, removedScoped], ['group:default/team-a'])).toBe(removedScoped);
    expect(chooseBinding([removedPortal], [])).toBe(removedPortal);
  });

  it('keeps an unhealthy binding: it is fixed where it is, not replaced', () => {
    const unreachable = binding('scoped', ['group:default/team-a'], 'unreachable');
    expect(chooseBinding([binding('portal'), unreachable], ['group:default/team-a'])).toBe(unreachable);
  });

  it('takes the binding the advanced settings chose while it serves the project and is usable', () => {
    const portal = binding('portal');
    const teamA = binding('team-a', ['group:default/team-a']);
    const teamB = binding('team-b', ['group:default/team-b']);
    const owners = ['group:default/team-a'];
    expect(chooseBinding([teamA, portal], owners, 'portal')).toBe(portal);
    // Not one that does not serve the pipeline's project, nor a removed one.
    expect(chooseBinding([teamA, portal, teamB], owners, 'team-b')).toBe(teamA);
    const removed = binding('gone', [], 'removed');
    expect(chooseBinding([removed, teamA], owners, 'gone')).toBe(teamA);
  });
});

describe('explainBinding', () => {
  const portal = binding('portal');
  const teamA = binding('team-a', ['group:default/team-a']);
  const owners = ['group:default/team-a'];

  it("says why, as the run's log does", () => {
    expect(explainBinding([teamA], owners)).toEqual({
      binding: teamA,
      reason: "bound for group:default/team-a, which owns the pipeline's entity",
    });
    expect(explainBinding([portal], owners)?.reason).toBe('bound for the whole portal');
    expect(explainBinding([portal, teamA], owners)?.reason).toBe(
      "bound for group:default/team-a, which owns the pipeline's entity (the first bound of 2 that serve it; the pipeline's advanced settings can choose another)",
    );
    expect(explainBinding([portal, teamA], owners, 'portal')?.reason).toBe(
      "chosen in the pipeline's advanced settings",
    );
    expect(explainBinding([teamA], owners, 'unbound-since')?.reason).toBe(
      "unbound-since, chosen in the pipeline's advanced settings, no longer serves its project: bound for group:default/team-a, which owns the pipeline's entity",
    );
    expect(explainBinding([binding('gone', [], 'removed')], [])?.reason).toBe(
      "bound for the whole portal, though its cluster was removed from the portal's configuration",
    );
  });

  it('lists the bindings a pipeline may choose from', () => {
    const teamB = binding('team-b', ['group:default/team-b']);
    expect(applicableBindings([teamB, portal, teamA], owners)).toEqual([portal, teamA]);
  });
});
