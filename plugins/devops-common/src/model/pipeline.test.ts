import {
  designExampleDocument,
  documentWithTasks,
  issuesOf,
  minimalDocument,
  minimalTasks,
} from '../__testUtils__/documents';
import { describeIssues } from './validation';
import {
  MAX_TIMEOUT_MINUTES,
  parameterSchema,
  pipelineDocumentSchema,
  pipelineSpecSchema,
} from './pipeline';
import { BUILT_IN_TASK_TYPES, taskSchema } from './tasks';

const parse = (input: unknown) => pipelineDocumentSchema.parse(input);

describe('pipelineDocumentSchema', () => {
  describe('valid documents', () => {
    it('parses the example document of DESIGN.md as written', () => {
      const doc = parse(designExampleDocument());

      expect(doc.metadata).toEqual({
        name: 'deploy-2048-yaml',
        title: 'YAML deploy of the 2048 game',
        entityRef: 'component:default/jack-2048',
      });
      expect(doc.spec.source).toEqual({
        provider: 'gitlab',
        repository: 'https://gitlab.example.com/qa/jack-2048.git',
        branch: 'master',
      });
      expect(doc.spec.parameters).toEqual([
        { name: 'REGISTRY_HOST', value: 'hub.example.com' },
        { name: 'DEPLOY_TOKEN', value: 's3cr3t', secret: true },
      ]);
      expect(
        doc.spec.stages.map(s => [s.name, s.order, s.tasks.map(t => t.type)]),
      ).toEqual([
        ['Build', 'sequential', ['buildImage']],
        ['Test', 'sequential', ['runScript']],
        ['Deploy', 'sequential', ['deployYaml', 'publishChart', 'deployChart']],
      ]);
      // Variables are kept as written: expansion happens per run, not at parse time.
      expect(doc.spec.stages[0].tasks[0]).toEqual({
        name: 'build-2048-game',
        type: 'buildImage',
        dockerfile: 'Dockerfile',
        image: 'jack-2048',
        tag: 'alpha-${BUILD_ID}',
        workspace: 'devops',
      });
      expect(doc.spec.stages[2].tasks[2]).toMatchObject({
        type: 'deployChart',
        version: '6.0.1-alpha.${BUILD_ID}',
        values: { replicaCount: 2 },
      });
      expect(doc.spec.triggers).toEqual({
        events: { push: true, merge: false, tag: false },
        schedule: { every: 'minutes', interval: 5 },
      });
      expect(doc.spec.timeoutMinutes).toBe(20);
    });

    it('parses a minimal document and fills in the defaults', () => {
      const doc = parse(minimalDocument());

      expect(doc).toEqual({
        apiVersion: 'devops.backstage.io/v1',
        kind: 'Pipeline',
        metadata: { name: 'hello', entityRef: 'component:default/hello' },
        spec: {
          stages: [
            {
              name: 'Build',
              order: 'sequential',
              tasks: [minimalTasks.runScript],
            },
          ],
        },
      });
    });

    it('keeps a parallel stage order', () => {
      const input = minimalDocument();
      input.spec.stages[0].order = 'parallel';
      expect(parse(input).spec.stages[0].order).toBe('parallel');
    });

    it.each(BUILT_IN_TASK_TYPES)(
      'accepts a %s task with only its required fields',
      type => {
        expect(
          parse(documentWithTasks(minimalTasks[type])).spec.stages[0].tasks[0],
        ).toEqual(minimalTasks[type]);
      },
    );

    it('accepts the optional fields of tasks', () => {
      const doc = parse(
        documentWithTasks(
          { ...minimalTasks.runScript, env: [] },
          { ...minimalTasks.deployYaml, createNamespace: true },
          {
            ...minimalTasks.deployChart,
            values: { image: { tag: 'v1' }, list: [1, 'a'] },
          },
        ),
      );
      expect(doc.spec.stages[0].tasks.map(t => t.type)).toEqual([
        'runScript',
        'deployYaml',
        'deployChart',
      ]);
    });

    it('trims free-text names', () => {
      const input = documentWithTasks({
        ...minimalTasks.runScript,
        name: '  unit tests  ',
      });
      input.spec.stages[0].name = ' Build ';
      const doc = parse(input);
      expect(doc.spec.stages[0].name).toBe('Build');
      expect(doc.spec.stages[0].tasks[0].name).toBe('unit tests');
    });

    it('allows the same task name in different stages', () => {
      const input = minimalDocument();
      input.spec.stages.push({
        name: 'Again',
        tasks: [{ ...minimalTasks.runScript }],
      });
      const doc = parse(input);
      expect(doc.spec.stages.map(s => s.tasks[0].name)).toEqual([
        'test',
        'test',
      ]);
    });

    it('accepts a secret parameter without a value (the stored one is kept)', () => {
      const input = minimalDocument();
      input.spec.parameters = [{ name: 'TOKEN', secret: true }];
      expect(parse(input).spec.parameters).toEqual([
        { name: 'TOKEN', secret: true },
      ]);
    });

    it('accepts an empty parameter value', () => {
      const input = minimalDocument();
      input.spec.parameters = [{ name: 'EMPTY', value: '' }];
      expect(parse(input).spec.parameters).toEqual([
        { name: 'EMPTY', value: '' },
      ]);
    });

    it.each(['a', '0', 'a'.repeat(63), 'deploy-2048-yaml', '-x-'])(
      'accepts the pipeline name %j',
      name => {
        const input = minimalDocument();
        input.metadata.name = name;
        expect(parse(input).metadata.name).toBe(name);
      },
    );

    it.each([0, 1, MAX_TIMEOUT_MINUTES])(
      'accepts timeoutMinutes %d',
      timeoutMinutes => {
        const input = minimalDocument();
        input.spec.timeoutMinutes = timeoutMinutes;
        expect(parse(input).spec.timeoutMinutes).toBe(timeoutMinutes);
      },
    );

    it('takes a title in any language', () => {
      const input = minimalDocument();
      input.metadata.title = 'YAML部署2048游戏镜像';
      expect(parse(input).metadata.title).toBe('YAML部署2048游戏镜像');
    });
  });

  describe('rejections name the field and say what is wrong', () => {
    it('rejects something that is not an object', () => {
      expect(issuesOf(pipelineDocumentSchema, 'apiVersion: v1')).toEqual([
        ': Invalid input: expected object, received string',
      ]);
    });

    it('rejects another apiVersion or kind', () => {
      const input = minimalDocument();
      input.apiVersion = 'devops.backstage.io/v2';
      input.kind = 'Component';
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'apiVersion: Invalid input: expected "devops.backstage.io/v1"',
        'kind: Invalid input: expected "Pipeline"',
      ]);
    });

    it.each([
      [
        'stages',
        'Build',
        'spec.stages: Invalid input: expected array, received string',
      ],
      [
        'timeoutMinutes',
        '20',
        'spec.timeoutMinutes: Invalid input: expected number, received string',
      ],
      [
        'parameters',
        { A: '1' },
        'spec.parameters: Invalid input: expected array, received object',
      ],
      [
        'triggers',
        true,
        'spec.triggers: Invalid input: expected object, received boolean',
      ],
    ])('rejects spec.%s of the wrong type', (field, value, issue) => {
      const input = minimalDocument();
      input.spec[field] = value;
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([issue]);
    });

    it('rejects task fields of the wrong type, naming the nested path', () => {
      const input = documentWithTasks(
        { ...minimalTasks.runScript },
        { ...minimalTasks.deployYaml, createNamespace: 'yes' },
      );
      input.spec.stages.unshift({
        name: 'Source',
        tasks: [{ ...minimalTasks.buildImage, tag: 5 }],
      });
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[0].tasks[0].tag: an image tag must be text',
        'spec.stages[1].tasks[1].createNamespace: Invalid input: expected boolean, received string',
      ]);
    });

    it('rejects an unknown stage order', () => {
      const input = minimalDocument();
      input.spec.stages[0].order = 'random';
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[0].order: Invalid option: expected one of "sequential"|"parallel"',
      ]);
    });

    it('rejects an unknown source provider', () => {
      const input = minimalDocument();
      input.spec.source = {
        provider: 'bitbucket',
        repository: 'https://x/y.git',
        branch: 'main',
      };
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.source.provider: Invalid option: expected one of "github"|"gitlab"|"git"',
      ]);
    });

    it('rejects a source without repository or branch', () => {
      const input = minimalDocument();
      input.spec.source = { provider: 'git', branch: ' ' };
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.source.repository: a repository URL is required',
        'spec.source.branch: a branch is required',
      ]);
    });

    describe('pipeline names', () => {
      const nameMessage =
        'metadata.name: must be 1 to 63 characters of lowercase letters, digits and "-"';

      it.each([
        ['uppercase letters', 'Deploy-2048'],
        ['64 characters', 'a'.repeat(64)],
        ['an empty name', ''],
        ['spaces', 'deploy 2048'],
        ['a trailing newline', 'deploy\n'],
        ['underscores', 'deploy_2048'],
        ['non-ASCII letters', 'déploiement'],
      ])('rejects %s', (_, name) => {
        const input = minimalDocument();
        input.metadata.name = name;
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([nameMessage]);
      });

      it('rejects a missing name and entityRef', () => {
        const input = minimalDocument();
        input.metadata = {};
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'metadata.name: a name is required',
          'metadata.entityRef: an entityRef is required',
        ]);
      });
    });

    it('rejects a pipeline without stages', () => {
      const input = minimalDocument();
      input.spec.stages = [];
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages: a pipeline needs at least one stage',
      ]);
    });

    it('rejects a spec without the stages field', () => {
      const input = minimalDocument();
      delete input.spec.stages;
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages: Invalid input: expected array, received undefined',
      ]);
    });

    it('rejects a stage without tasks, naming the stage', () => {
      const input = minimalDocument();
      input.spec.stages.push({ name: 'Empty', tasks: [] });
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[1].tasks: a stage needs at least one task',
      ]);
    });

    it('rejects a stage without a name', () => {
      const input = minimalDocument();
      input.spec.stages[0].name = '   ';
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[0].name: a stage name is required',
      ]);
    });

    it('rejects two tasks of one stage with the same name, pointing at the second', () => {
      const input = documentWithTasks(
        { ...minimalTasks.runScript, name: 'build' },
        { ...minimalTasks.buildImage, name: 'other' },
        { ...minimalTasks.buildImage, name: ' build ' },
      );
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[0].tasks[2].name: another task in stage "Build" is already named "build"',
      ]);
    });

    it('reports a duplicate task name together with a broken sibling task', () => {
      const input = documentWithTasks(
        { ...minimalTasks.runScript },
        { ...minimalTasks.runScript, image: undefined },
        { ...minimalTasks.runScript },
      );
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.stages[0].tasks[1].image: an image is required',
        'spec.stages[0].tasks[1].name: another task in stage "Build" is already named "test"',
        'spec.stages[0].tasks[2].name: another task in stage "Build" is already named "test"',
      ]);
    });

    describe('task types', () => {
      it('rejects an unknown task type at the path of its type, listing the types', () => {
        const input = minimalDocument();
        input.spec.stages.push({
          name: 'Deploy',
          tasks: [
            { ...minimalTasks.deployYaml },
            { name: 'notify', type: 'sendMail', to: 'x' },
          ],
        });
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'spec.stages[1].tasks[1].type: unknown task type "sendMail": must be one of runScript, buildImage, deployYaml, publishChart, deployChart, or a module\'s <namespace>:<name>',
        ]);
      });

      it('rejects a task without a type', () => {
        expect(issuesOf(taskSchema, { name: 'x', image: 'node' })).toEqual([
          "type: a task type is required: one of runScript, buildImage, deployYaml, publishChart, deployChart, or a module's <namespace>:<name>",
        ]);
      });

      it('is case sensitive about types', () => {
        expect(
          issuesOf(taskSchema, {
            ...minimalTasks.runScript,
            type: 'RunScript',
          }),
        ).toEqual([
          'type: unknown task type "RunScript": must be one of runScript, buildImage, deployYaml, publishChart, deployChart, or a module\'s <namespace>:<name>',
        ]);
      });

      it("keeps a module's task with its fields, leaving them to the backend that knows its type", () => {
        const task = {
          name: 'verify',
          type: 'example:verifyFiles',
          paths: 'README.md',
          strict: true,
          resources: { limits: { memory: '64Mi' } },
        };
        expect(taskSchema.parse(task)).toEqual(task);
      });

      it("checks what every task has on a module's task too", () => {
        expect(
          issuesOf(taskSchema, {
            name: ' ',
            type: 'example:verifyFiles',
            resources: { limits: { memory: 'lots' } },
          }),
        ).toEqual([
          'name: a task name is required',
          'resources.limits.memory: must be a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)',
        ]);
      });

      it('rejects a task that is not an object', () => {
        expect(issuesOf(taskSchema, 'runScript')).toEqual([
          ': Invalid input: expected object, received string',
        ]);
      });
    });

    describe('required task fields', () => {
      const required: Array<[keyof typeof minimalTasks, string, string]> = [
        ['runScript', 'name', 'a task name is required'],
        ['runScript', 'image', 'an image is required'],
        ['runScript', 'tag', 'an image tag is required'],
        ['runScript', 'script', 'a script is required'],
        ['buildImage', 'name', 'a task name is required'],
        ['buildImage', 'dockerfile', 'a Dockerfile path is required'],
        ['buildImage', 'image', 'an image name is required'],
        ['buildImage', 'tag', 'an image tag is required'],
        ['buildImage', 'workspace', 'a registry workspace is required'],
        ['deployYaml', 'name', 'a task name is required'],
        ['deployYaml', 'file', 'a YAML file path is required'],
        ['deployYaml', 'cluster', 'a cluster is required'],
        ['deployYaml', 'namespace', 'a namespace is required'],
        ['publishChart', 'name', 'a task name is required'],
        ['publishChart', 'chartPath', 'a chart directory is required'],
        ['publishChart', 'chart', 'a chart name is required'],
        ['publishChart', 'version', 'a chart version is required'],
        ['deployChart', 'name', 'a task name is required'],
        ['deployChart', 'release', 'a release name is required'],
        ['deployChart', 'chart', 'a chart name is required'],
        ['deployChart', 'version', 'a chart version is required'],
        ['deployChart', 'cluster', 'a cluster is required'],
        ['deployChart', 'namespace', 'a namespace is required'],
      ];

      it('covers every field of every task type except the optional ones', () => {
        const optional = ['type', 'env', 'createNamespace', 'values'];
        for (const type of BUILT_IN_TASK_TYPES) {
          const fields = Object.keys(minimalTasks[type]).filter(
            f => !optional.includes(f),
          );
          expect(
            required
              .filter(([t]) => t === type)
              .map(([, f]) => f)
              .sort(),
          ).toEqual(fields.sort());
        }
      });

      it.each(required)('%s: rejects a missing %s', (type, field, message) => {
        const task: Record<string, unknown> = { ...minimalTasks[type] };
        delete task[field];
        const input = minimalDocument();
        input.spec.stages.push({ name: 'Second', tasks: [task] });
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          `spec.stages[1].tasks[0].${field}: ${message}`,
        ]);
      });

      it.each(required)('%s: rejects a blank %s', (type, field, message) => {
        const task = { ...minimalTasks[type], [field]: ' \t ' };
        expect(
          issuesOf(pipelineDocumentSchema, documentWithTasks(task)),
        ).toEqual([`spec.stages[0].tasks[0].${field}: ${message}`]);
      });
    });

    describe('unknown fields', () => {
      it.each([
        ['the document', (d: any) => (d.status = { id: '1' }), 'status'],
        [
          'metadata',
          (d: any) => (d.metadata.owner = 'team-a'),
          'metadata.owner',
        ],
        ['spec', (d: any) => (d.spec.timeout = 5), 'spec.timeout'],
        [
          'a stage',
          (d: any) => (d.spec.stages[0].parallel = true),
          'spec.stages[0].parallel',
        ],
        [
          'a task',
          (d: any) => (d.spec.stages[0].tasks[0].dockerfile = 'x'),
          'spec.stages[0].tasks[0].dockerfile',
        ],
        [
          'a source',
          (d: any) =>
            (d.spec.source = {
              provider: 'git',
              repository: 'r',
              branch: 'b',
              token: 't',
            }),
          'spec.source.token',
        ],
        [
          'a parameter',
          (d: any) =>
            (d.spec.parameters = [{ name: 'A', value: '1', hidden: true }]),
          'spec.parameters[0].hidden',
        ],
        [
          'an env var',
          (d: any) =>
            (d.spec.stages[0].tasks[0].env = [
              { name: 'A', value: '1', secret: true },
            ]),
          'spec.stages[0].tasks[0].env[0].secret',
        ],
        [
          'trigger events',
          (d: any) =>
            (d.spec.triggers = { events: { push: true, release: true } }),
          'spec.triggers.events.release',
        ],
        [
          'triggers',
          (d: any) => (d.spec.triggers = { cron: '* * * * *' }),
          'spec.triggers.cron',
        ],
        [
          'a schedule',
          (d: any) =>
            (d.spec.triggers = {
              schedule: { every: 'day', time: '02:00', minute: 3 },
            }),
          'spec.triggers.schedule.minute',
        ],
      ])('rejects an unknown field of %s', (_, change, path) => {
        const input = minimalDocument();
        change(input);
        const result = pipelineDocumentSchema.safeParse(input);
        expect(result.success).toBe(false);
        expect(describeIssues(result.error!)).toBe(`${path}: unknown field`);
      });

      it('names each unknown field of an object', () => {
        const input = documentWithTasks({
          ...minimalTasks.publishChart,
          foo: 1,
          bar: 2,
        });
        const result = pipelineDocumentSchema.safeParse(input);
        expect(describeIssues(result.error!)).toBe(
          'spec.stages[0].tasks[0].foo: unknown field; spec.stages[0].tasks[0].bar: unknown field',
        );
      });

      it('rejects the fields of another task type', () => {
        const input = documentWithTasks({
          ...minimalTasks.publishChart,
          cluster: 'prod',
        });
        const result = pipelineDocumentSchema.safeParse(input);
        expect(describeIssues(result.error!)).toBe(
          'spec.stages[0].tasks[0].cluster: unknown field',
        );
      });
    });

    describe('parameters', () => {
      it('rejects a parameter name defined twice, pointing at the repetition', () => {
        const input = minimalDocument();
        input.spec.parameters = [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
          { name: 'A', value: '3' },
        ];
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'spec.parameters[2].name: parameter "A" is defined twice',
        ]);
      });

      it('treats parameter names as case sensitive', () => {
        const input = minimalDocument();
        input.spec.parameters = [
          { name: 'a', value: '1' },
          { name: 'A', value: '2' },
        ];
        expect(parse(input).spec.parameters).toHaveLength(2);
      });

      it('reports a duplicate parameter together with an error elsewhere in the spec', () => {
        const input = minimalDocument();
        input.spec.parameters = [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ];
        input.spec.timeoutMinutes = -1;
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'spec.timeoutMinutes: must be 0 (no timeout) or a positive number of minutes',
          'spec.parameters[1].name: parameter "A" is defined twice',
        ]);
      });

      it.each([{}, { secret: false }])(
        'rejects a non-secret parameter without a value (%j)',
        extra => {
          const input = minimalDocument();
          input.spec.parameters = [
            { name: 'A', value: '1' },
            { name: 'REGISTRY', ...extra },
          ];
          expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
            'spec.parameters[1].value: a parameter that is not secret needs a value',
          ]);
        },
      );

      it.each(['1ST', 'MY-VAR', 'MY VAR', '', 'A.B', 'ÄRGER'])(
        'rejects the parameter name %j',
        name => {
          expect(issuesOf(parameterSchema, { name, value: 'x' })).toEqual([
            'name: must start with a letter or "_" and hold only letters, digits and "_"',
          ]);
        },
      );

      it.each(['BUILD_ID', 'GIT_COMMIT', 'TRIGGER'])(
        'rejects a parameter named as the built-in variable %s',
        name => {
          const input = minimalDocument();
          input.spec.parameters = [{ name, value: 'x' }];
          expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
            `spec.parameters[0].name: "${name}" is a built-in variable, set by the platform for every run; give the parameter another name`,
          ]);
        },
      );

      it('rejects a parameter without a name', () => {
        expect(issuesOf(parameterSchema, { value: 'x' })).toEqual([
          'name: a name is required',
        ]);
      });

      it('rejects a secret flag that is not a boolean', () => {
        expect(
          issuesOf(parameterSchema, { name: 'A', value: 'x', secret: 'yes' }),
        ).toEqual(['secret: Invalid input: expected boolean, received string']);
      });
    });

    describe('environment variables of a script task', () => {
      it.each(['1X', 'MY-VAR', 'MY VAR', '', '$HOME'])(
        'rejects the name %j',
        name => {
          const input = documentWithTasks({
            ...minimalTasks.runScript,
            env: [
              { name: 'OK', value: '1' },
              { name, value: 'x' },
            ],
          });
          expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
            'spec.stages[0].tasks[0].env[1].name: must start with a letter or "_" and hold only letters, digits and "_"',
          ]);
        },
      );

      it('rejects a built-in variable name, which would hide the platform value', () => {
        const input = documentWithTasks({
          ...minimalTasks.runScript,
          env: [{ name: 'BUILD_ID', value: '7' }],
        });
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'spec.stages[0].tasks[0].env[0].name: "BUILD_ID" is a built-in variable, set by the platform for every run; give the variable another name',
        ]);
      });

      it.each(['_x', 'CI', 'node_env2'])('accepts the name %j', name => {
        const input = documentWithTasks({
          ...minimalTasks.runScript,
          env: [{ name, value: '' }],
        });
        expect(parse(input).spec.stages[0].tasks[0]).toMatchObject({
          env: [{ name, value: '' }],
        });
      });

      it('rejects an env entry without a value', () => {
        const input = documentWithTasks({
          ...minimalTasks.runScript,
          env: [{ name: 'CI' }],
        });
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          'spec.stages[0].tasks[0].env[0].value: Invalid input: expected string, received undefined',
        ]);
      });
    });

    describe('timeoutMinutes', () => {
      it.each([
        [-1, 'must be 0 (no timeout) or a positive number of minutes'],
        [MAX_TIMEOUT_MINUTES + 1, 'must be at most 20160 minutes (14 days)'],
        [1.5, 'Invalid input: expected int, received number'],
      ])('rejects %d', (timeoutMinutes, message) => {
        const input = minimalDocument();
        input.spec.timeoutMinutes = timeoutMinutes;
        expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
          `spec.timeoutMinutes: ${message}`,
        ]);
      });

      it('caps at 14 days', () => {
        expect(MAX_TIMEOUT_MINUTES).toBe(20160);
      });
    });

    it('validates triggers inside the document', () => {
      const input = minimalDocument();
      input.spec.triggers = { schedule: { every: 'minutes', interval: 60 } };
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'spec.triggers.schedule.interval: Too big: expected number to be <=59',
      ]);
    });

    it('reports every problem of a document at once', () => {
      const input = designExampleDocument();
      input.metadata.name = 'Deploy 2048';
      input.spec.stages[1].tasks[0].type = 'shell';
      input.spec.stages[2].tasks[1].version = '';
      input.spec.timeoutMinutes = 30000;
      expect(issuesOf(pipelineDocumentSchema, input)).toEqual([
        'metadata.name: must be 1 to 63 characters of lowercase letters, digits and "-"',
        'spec.stages[1].tasks[0].type: unknown task type "shell": must be one of runScript, buildImage, deployYaml, publishChart, deployChart, or a module\'s <namespace>:<name>',
        'spec.stages[2].tasks[1].version: a chart version is required',
        'spec.timeoutMinutes: must be at most 20160 minutes (14 days)',
      ]);
    });
  });
});

describe('pipelineSpecSchema', () => {
  it('does not require a source, parameters, triggers or timeout', () => {
    expect(
      pipelineSpecSchema.parse({ stages: minimalDocument().spec.stages }),
    ).toEqual({
      stages: [
        { name: 'Build', order: 'sequential', tasks: [minimalTasks.runScript] },
      ],
    });
  });
});
