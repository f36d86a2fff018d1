import { chooseBinding } from './chooseBinding';
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
});
