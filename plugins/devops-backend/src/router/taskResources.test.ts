import { TestDatabases } from '@backstage/backend-test-utils';
import type { PipelineDocument } from '@devops-pipelines/plugin-devops-common';
import {
  DevopsTestBackend,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';

/** A pipeline whose one task asks for this memory limit. */
const asking = (memory: string): PipelineDocument => {
  const document = pipelineDocument();
  const [stage] = document.spec.stages;
  stage.tasks[0] = { ...stage.tasks[0], resources: { limits: { memory } } };
  return document;
};

describe('task resources as a pipeline is saved', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: DevopsTestBackend;

  beforeAll(async () => {
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      devops: {
        kubernetes: { taskResources: { maximums: { memory: '1Gi' } } },
      },
    });
  });
  afterAll(() => backend?.stop());

  it('takes what is within the maximums, and refuses more, naming the task', async () => {
    const within = await backend.http
      .post('/api/devops/pipelines')
      .send(asking('512Mi'));
    expect(within.status).toBe(201);
    expect(within.body.spec.stages[0].tasks[0].resources).toEqual({
      limits: { memory: '512Mi' },
    });

    const document = asking('2Gi');
    const refused = await backend.http
      .post('/api/devops/pipelines')
      .send(document);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      `Task "${document.spec.stages[0].tasks[0].name}" of stage "${document.spec.stages[0].name}": The task's memory limit 2Gi is above the portal's maximum of 1Gi (devops.kubernetes.taskResources.maximums.memory); ask for at most 1Gi in the task's resources`,
    );

    // Nor may an edit raise it above.
    const { status, ...saved } = within.body;
    const raised = await backend.http
      .put(`/api/devops/pipelines/${status.id}`)
      .send({
        ...saved,
        spec: asking('4Gi').spec,
        version: status.version,
      });
    expect(raised.status).toBe(400);
  });
});
