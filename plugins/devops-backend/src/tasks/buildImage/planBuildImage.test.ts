import type { Task } from '@devops-pipelines/plugin-devops-common';
import { planInput, testTools } from '../__testUtils__/planInput';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import { planBuildImage } from './planBuildImage';

const task = (fields: Partial<Task> = {}): Task =>
  ({
    name: 'build',
    type: 'buildImage',
    dockerfile: 'Dockerfile',
    image: 'jack-2048',
    tag: 'alpha-42',
    workspace: 'devops',
    ...fields,
  } as Task);

describe('planBuildImage', () => {
  it('runs kaniko on the checked-out source and pushes to <registry>/<workspace>/<image>:<tag>', async () => {
    expect(await planBuildImage(planInput(task()))).toEqual({
      kind: 'pod',
      container: {
        image: 'gcr.io/kaniko-project/executor:v1.23.2',
        command: ['/kaniko/executor'],
        args: [
          '--dockerfile=/workspace/source/Dockerfile',
          '--context=dir:///workspace/source',
          '--destination=hub.example.com/devops/jack-2048:alpha-42',
        ],
        workingDir: '/workspace/source',
      },
      mountedSecrets: [
        {
          secretName: 'registry-push',
          mountPath: '/kaniko/.docker',
          items: [{ key: '.dockerconfigjson', path: 'config.json' }],
        },
      ],
    });
  });

  it('passes a Dockerfile path with spaces and quotes as one argument, without a shell', async () => {
    const plan = await planBuildImage(
      planInput(task({ dockerfile: `docker files/it's "the" Dockerfile` })),
    );
    if (plan.kind !== 'pod') throw new Error('expected a pod plan');
    expect(plan.container.command).toEqual(['/kaniko/executor']);
    expect(plan.container.args?.[0]).toBe(
      `--dockerfile=/workspace/source/docker files/it's "the" Dockerfile`,
    );
  });

  it('accepts nested image names', async () => {
    const plan = await planBuildImage(
      planInput(task({ image: 'team/web_app.v2', tag: 'v1.2.3_rc-1' })),
    );
    expect(plan.kind === 'pod' && plan.container.args).toContain(
      '--destination=hub.example.com/devops/team/web_app.v2:v1.2.3_rc-1',
    );
  });

  it('marks only the pipeline registry insecure when configured so', async () => {
    const plan = await planBuildImage(
      planInput(task(), {
        tools: {
          ...testTools,
          registry: { host: 'registry.local:5000', insecure: true },
        },
      }),
    );
    if (plan.kind !== 'pod') throw new Error('expected a pod plan');
    expect(plan.container.args).toEqual([
      '--dockerfile=/workspace/source/Dockerfile',
      '--context=dir:///workspace/source',
      '--destination=registry.local:5000/devops/jack-2048:alpha-42',
      '--insecure-registry=registry.local:5000',
      '--skip-tls-verify-registry=registry.local:5000',
    ]);
    // No credentials Secret configured: nothing to mount.
    expect(plan.mountedSecrets).toBeUndefined();
  });

  it('fails clearly when no registry is configured', async () => {
    await expect(
      planBuildImage(
        planInput(task(), { tools: { ...testTools, registry: undefined } }),
      ),
    ).rejects.toThrow(
      new TaskPlanError(
        'No image registry is configured for DevOps, so there is nowhere to push the image; ask the portal admin to set devops.registry.host (and devops.registry.credentialsSecret) in app-config.yaml',
      ),
    );
  });

  it.each([
    [
      { image: 'Jack-2048' },
      'task field "image" is "Jack-2048", which is not a valid image name part',
    ],
    [{ image: 'my app' }, 'task field "image" is "my app"'],
    [{ workspace: 'dev/' }, 'task field "workspace" is "dev/"'],
    [
      { tag: 'alpha 42' },
      'task field "tag" is "alpha 42", which is not a valid image tag',
    ],
    [{ tag: '-rc' }, 'task field "tag" is "-rc"'],
    [{ tag: 'x'.repeat(129) }, 'which is not a valid image tag'],
    [
      { dockerfile: '../Dockerfile' },
      'task field "dockerfile" must be a path inside the repository',
    ],
  ])('refuses %j before starting a pod', async (fields, message) => {
    await expect(planBuildImage(planInput(task(fields)))).rejects.toThrow(
      message,
    );
  });
});
