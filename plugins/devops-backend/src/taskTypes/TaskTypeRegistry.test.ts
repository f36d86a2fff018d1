import type {
  PipelineDocument,
  Task,
} from '@devops-pipelines/plugin-devops-common';
import type { DevopsTaskType } from '@devops-pipelines/plugin-devops-node';
import { builtInTaskTypes } from './builtInTaskTypes';
import { TaskTypeRegistry } from './TaskTypeRegistry';

const notify: DevopsTaskType = {
  type: 'acme:notify',
  title: 'Notify',
  description: 'Posts a message to the team channel',
  fields: z =>
    z.object({
      channel: z.string().min(1).meta({ title: 'Channel' }),
      urgent: z.boolean().default(false),
      level: z.enum(['info', 'warning']).optional(),
    }),
  planners: {
    local: async () => ({ kind: 'script', script: 'true' }),
  },
};

function documentWith(...tasks: Task[]): PipelineDocument {
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: { name: 'p', entityRef: 'component:default/shop' },
    spec: { stages: [{ name: 'Build', order: 'sequential', tasks }] },
  } as PipelineDocument;
}

describe('TaskTypeRegistry', () => {
  const registry = new TaskTypeRegistry(builtInTaskTypes, [notify]);

  it('lists the built-in types first, each with the executors that have a planner', () => {
    const list = registry.list();
    expect(
      list.map(t => [t.type, t.executors, t.podResources, t.builtIn]),
    ).toEqual([
      ['runScript', ['local', 'kubernetes'], true, true],
      ['buildImage', ['kubernetes'], true, true],
      ['deployYaml', ['kubernetes'], false, true],
      ['publishChart', ['kubernetes'], true, true],
      ['deployChart', ['kubernetes'], true, true],
      ['acme:notify', ['local'], false, false],
    ]);
  });

  it("describes a type's own fields as JSON Schema, without what every task has", () => {
    expect(registry.list()[5].fieldsSchema).toEqual({
      type: 'object',
      properties: {
        channel: { type: 'string', minLength: 1, title: 'Channel' },
        urgent: { type: 'boolean', default: false },
        level: { type: 'string', enum: ['info', 'warning'] },
      },
      required: ['channel'],
      additionalProperties: false,
    });
    const runScript = registry.list()[0].fieldsSchema as {
      properties: object;
    };
    expect(Object.keys(runScript.properties)).toEqual([
      'image',
      'tag',
      'script',
      'env',
    ]);
  });

  it("checks a module's task against its fields, naming each problem at its path", () => {
    expect(() =>
      registry.checkDocument(
        documentWith(
          { name: 'a', type: 'acme:notify', channel: '#dev' },
          {
            name: 'b',
            type: 'acme:notify',
            channel: '',
            level: 'loud',
            extra: 1,
          },
        ),
      ),
    ).toThrow(
      /^Invalid request: spec\.stages\[0\]\.tasks\[1\]\.channel: .+; spec\.stages\[0\]\.tasks\[1\]\.level: .+; spec\.stages\[0\]\.tasks\[1\]\.extra: unknown field$/,
    );
  });

  it('accepts built-in tasks, which the shared schema has checked', () => {
    expect(() =>
      registry.checkDocument(
        documentWith({
          name: 'test',
          type: 'runScript',
          image: 'node',
          tag: '22',
          script: 'npm test',
        }),
      ),
    ).not.toThrow();
  });

  it('refuses a type no module added, listing the ones there are', () => {
    expect(() =>
      registry.checkDocument(documentWith({ name: 'x', type: 'acme:deploy' })),
    ).toThrow(
      'Invalid request: spec.stages[0].tasks[0].type: this portal has no task type "acme:deploy" (is the backend module that adds it installed?); its task types are runScript, buildImage, deployYaml, publishChart, deployChart, acme:notify',
    );
  });

  it('says where a task can run when an executor cannot', () => {
    expect(registry.cannotRun('deployYaml', 'local')).toBe(
      'The local executor cannot run "Deploy YAML" tasks; they need a Kubernetes cluster bound to DevOps (see the Clusters page)',
    );
    expect(registry.cannotRun('acme:notify', 'kubernetes')).toBe(
      'The kubernetes executor cannot run "Notify" tasks; they run on the local executor',
    );
    expect(registry.cannotRun('acme:gone', 'local')).toBe(
      'This portal has no task type "acme:gone" (is the backend module that adds it installed?)',
    );
    expect(registry.kubernetesPlanner('acme:notify')).toBeUndefined();
    expect(registry.localPlanner('acme:notify')).toBe(notify.planners.local);
  });

  it('titles a type, or gives its id when no module has it now', () => {
    expect(registry.title('runScript')).toBe('Run script');
    expect(registry.title('acme:notify')).toBe('Notify');
    expect(registry.title('acme:gone')).toBe('acme:gone');
  });

  describe('fails startup on a module type it cannot take, naming it', () => {
    it('without a namespace', () => {
      expect(
        () =>
          new TaskTypeRegistry(builtInTaskTypes, [
            { ...notify, type: 'notify' },
          ]),
      ).toThrow(
        'A backend module registered the task type "notify": a module\'s task types are named <namespace>:<name>, e.g. "example:verifyFiles"',
      );
    });

    it('twice', () => {
      expect(
        () => new TaskTypeRegistry(builtInTaskTypes, [notify, notify]),
      ).toThrow(
        'The task type "acme:notify" is registered twice; each backend module must use a namespace of its own',
      );
    });

    it('with a field every task has', () => {
      expect(
        () =>
          new TaskTypeRegistry(builtInTaskTypes, [
            { ...notify, fields: z => z.object({ name: z.string() }) },
          ]),
      ).toThrow(
        'The fields of task type "acme:notify" include "name", which every task has; give the field another name',
      );
    });
  });
});
