import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsClusterReadPermission } from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import path from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { DevopsPermissionPolicy } from './DevopsPermissionPolicy';

const ROOT = path.resolve(__dirname, '../../../../..');

/** The demo's users with the ownership refs sign-in gives them (the user and its groups). */
function demoUsers(): Map<string, string[]> {
  const documents = parseAllDocuments(
    fs.readFileSync(path.join(ROOT, 'examples/org.yaml'), 'utf8'),
  ).map(document => document.toJS());
  return new Map(
    documents
      .filter(entity => entity.kind === 'User')
      .map(user => [
        user.metadata.name,
        [
          `user:default/${user.metadata.name}`,
          ...(user.spec.memberOf ?? []).map(
            (group: string) => `group:default/${group}`,
          ),
        ],
      ]),
  );
}

/** The README's "demo's roles" hold for examples/org.yaml and app-config.yaml. */
describe("the demo's users", () => {
  const config = parseYaml(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const policy = new DevopsPermissionPolicy({
    adminGroups: config.devops.permissions.adminGroups,
  });
  const users = demoUsers();

  const isAdmin = async (name: string) => {
    const userEntityRef = `user:default/${name}`;
    const decision = await policy.handle(
      { permission: devopsClusterReadPermission },
      {
        credentials: mockCredentials.user(userEntityRef),
        info: { userEntityRef, ownershipEntityRefs: users.get(name)! },
      },
    );
    return decision.result === AuthorizeResult.ALLOW;
  };

  it('have the roles the README gives them', async () => {
    expect([...users.keys()].sort()).toEqual(['ada', 'guest', 'nora', 'pat']);
    expect(await isAdmin('guest')).toBe(true);
    expect(await isAdmin('ada')).toBe(true);
    expect(await isAdmin('pat')).toBe(false);
    expect(await isAdmin('nora')).toBe(false);
    expect(users.get('pat')).toContain('group:default/web-team');
    expect(users.get('nora')).toEqual(['user:default/nora']);
  });
});
