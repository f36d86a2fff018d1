import { planInput } from '../__testUtils__/planInput';
import { planRunScript } from './planRunScript';

describe('planRunScript', () => {
  it("runs the script with sh in the user's image, in the checked-out source", async () => {
    const plan = await planRunScript(
      planInput({
        name: 'test',
        type: 'runScript',
        image: 'node',
        tag: '22-alpine',
        script: 'npm ci\nnpm test',
        env: [{ name: 'NODE_ENV', value: 'test' }],
      }),
    );
    expect(plan).toEqual({
      kind: 'pod',
      container: {
        image: 'node:22-alpine',
        command: ['sh', '-e', '-c', 'npm ci\nnpm test'],
        workingDir: '/workspace/source',
        env: [{ name: 'NODE_ENV', value: 'test' }],
      },
    });
  });

  it('has no env entries when the task has none', async () => {
    const plan = await planRunScript(
      planInput({ name: 't', type: 'runScript', image: 'alpine', tag: '3', script: 'true' }),
    );
    expect(plan.kind === 'pod' && plan.container.env).toEqual([]);
  });
});
