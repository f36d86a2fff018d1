import { parseBody } from '../router/validation';
import { bindClusterRequestSchema } from './bindRequest';

describe('bindClusterRequestSchema', () => {
  it('accepts a name alone, and stores group refs in full, lower-cased as the catalog does', () => {
    expect(parseBody(bindClusterRequestSchema, { name: 'prod' })).toEqual({ name: 'prod' });
    expect(
      parseBody(bindClusterRequestSchema, {
        name: 'prod',
        namespace: 'ci-pods',
        scope: ['team-a', 'group:ops/sre', 'Group:default/Team-B', 'group:default/team-a'],
      }),
    ).toEqual({
      name: 'prod',
      namespace: 'ci-pods',
      scope: ['group:default/team-a', 'group:ops/sre', 'group:default/team-b'],
    });
  });

  it('names every bad field', () => {
    expect(() =>
      parseBody(bindClusterRequestSchema, {
        namespace: 'Not_Valid',
        scope: ['user:default/jack', 'group:'],
        extra: true,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /a cluster name is required.*namespace: must be 1 to 63 characters of lowercase letters, digits and "-", starting and ending with a letter or digit.*"user:default\/jack" is a user, not a group.*"group:" is not an entity ref such as group:default\/team-a/s,
        ),
      }),
    );
    expect(() => parseBody(bindClusterRequestSchema, { name: 'prod', namespace: 'a'.repeat(64) })).toThrow(
      /namespace: must be 1 to 63 characters/,
    );
  });
});
