import {
  TestDatabases,
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { pipelineDocumentSchema } from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import { createPipelineAction } from './actions/createPipeline';
import { appLinks } from './actions/links';
import { runPipelineAction } from './actions/runPipeline';
import { DevopsApiClient } from './client/DevopsApiClient';
import {
  DevopsBackend,
  actionContext,
  uniqueName,
} from './__testUtils__/devopsBackend';

jest.setTimeout(60_000);

const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../examples/templates/service-with-pipeline',
);

/** Actions every scaffolder backend has (plugin-scaffolder-backend's built-ins). */
const BUILT_IN_ACTIONS = [
  'fetch:template',
  'fetch:plain',
  'fetch:plain:file',
  'fetch:template:file',
  'catalog:register',
  'catalog:write',
  'catalog:fetch',
  'debug:log',
  'debug:wait',
  'fs:delete',
  'fs:rename',
  'fs:read',
];

/** The module's actions, as it registers them (no backend is called here). */
const moduleActions: TemplateAction<any, any, any>[] = (() => {
  const client = new DevopsApiClient({
    discovery: { getBaseUrl: async () => 'http://unused' },
    auth: mockServices.auth(),
  });
  const links = appLinks(mockServices.rootConfig());
  return [
    createPipelineAction({ client, links }),
    runPipelineAction({ client, links }),
  ];
})();

type Step = {
  id: string;
  action: string;
  if?: string;
  input?: Record<string, unknown>;
};

type Template = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    parameters: Array<{ properties: Record<string, { default?: unknown }> }>;
    steps: Step[];
    output: { links: Array<{ url: string; if?: string }> };
  };
};

const readTemplate = (): Template =>
  parseYaml(fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'));

/**
 * A small stand-in for the scaffolder's templating: `${{ a.b['c'].d }}` looks the path up
 * in `context`; a string that is one expression keeps the value's type, as in the
 * scaffolder. Filters and other nunjucks syntax are not supported (and not used).
 */
function render(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{\{\s*([^}]+?)\s*\}\}$/);
    if (whole) return lookup(whole[1], context);
    return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expression) =>
      String(lookup(expression, context)),
    );
  }
  if (Array.isArray(value)) return value.map(v => render(v, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, render(v, context)]),
    );
  }
  return value;
}

function lookup(expression: string, context: Record<string, unknown>): unknown {
  const segments = expression.match(
    /^[A-Za-z_]\w*|\.[A-Za-z_]\w*|\['[^']+'\]/g,
  );
  if (!segments || segments.join('') !== expression) {
    throw new Error(
      `The test's renderer does not support \${{ ${expression} }}`,
    );
  }
  const value = segments
    .map(s => s.replace(/^\.|^\['|'\]$/g, ''))
    .reduce<unknown>((current, key) => {
      if (current === undefined || current === null) {
        throw new Error(`\${{ ${expression} }}: ${key} of nothing`);
      }
      return (current as Record<string, unknown>)[key];
    }, context);
  if (value === undefined) {
    throw new Error(`\${{ ${expression} }} is undefined`);
  }
  return value;
}

/** The skeleton as fetch:template writes it into the workspace. */
function renderSkeleton(values: Record<string, unknown>) {
  const dir = path.join(TEMPLATE_DIR, 'skeleton');
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(file => [
        file,
        render(fs.readFileSync(path.join(dir, file), 'utf8'), { values }),
      ]),
  ) as Record<string, string>;
}

describe('the example template service-with-pipeline', () => {
  it('is a v1beta3 Template that names only actions the portal has', () => {
    const template = readTemplate();
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    const known = [...BUILT_IN_ACTIONS, ...moduleActions.map(a => a.id)];
    for (const step of template.spec.steps) {
      expect(known).toContain(step.action);
    }
    const used = template.spec.steps.map(step => step.action);
    expect(used).toEqual(
      expect.arrayContaining(['devops:pipeline:create', 'devops:pipeline:run']),
    );
    // publish:* is only a commented option: this portal has no code host of its own.
    expect(used.filter(action => action.startsWith('publish:'))).toEqual([]);
  });

  it("gives the devops steps only inputs the actions' schemas name", () => {
    for (const step of readTemplate().spec.steps) {
      const action = moduleActions.find(a => a.id === step.action);
      if (!action) continue;
      const properties = Object.keys(
        (action.schema?.input as { properties?: object })?.properties ?? {},
      );
      expect(properties.length).toBeGreaterThan(0);
      for (const key of Object.keys(step.input ?? {})) {
        expect(properties).toContain(key);
      }
    }
  });

  it('has a skeleton whose pipeline.yaml is a valid pipeline document once filled in', () => {
    const files = renderSkeleton({
      name: 'payments-api',
      description: 'Payments',
      owner: 'group:default/web-team',
    });
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'pipeline.yaml',
    ]);
    const result = pipelineDocumentSchema.safeParse(
      parseYaml(files['pipeline.yaml']),
    );
    expect(result.error?.issues).toBeUndefined();
    expect(result.data?.metadata).toEqual({
      name: 'payments-api-ci',
      title: 'Build and test payments-api',
      entityRef: 'component:default/payments-api',
    });
    const component = parseYaml(files['catalog-info.yaml']);
    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        annotations: { 'devops.backstage.io/pipelines': 'true' },
      },
      spec: { owner: 'group:default/web-team' },
    });
  });

  describe('run end to end against the devops backend', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
    const devops = new DevopsBackend();

    beforeAll(async () => {
      await devops.start(await databases.init('SQLITE_3'));
    });

    afterAll(async () => {
      await devops.stop();
    });

    it('creates the pipeline from the skeleton and runs it to success', async () => {
      const template = readTemplate();
      const defaults = Object.fromEntries(
        template.spec.parameters.flatMap(page =>
          Object.entries(page.properties)
            .filter(([, property]) => property.default !== undefined)
            .map(([key, property]) => [key, property.default]),
        ),
      );
      const parameters: Record<string, unknown> = {
        ...defaults,
        name: uniqueName('svc'),
        owner: 'group:default/web-team',
        waitForRun: true,
      };
      const workspace = createMockDirectory();
      const steps: Record<string, { output: Record<string, unknown> }> = {};
      const actions = devops.actions();

      for (const step of template.spec.steps) {
        const context = { parameters, steps };
        if (step.if !== undefined && !render(step.if, context)) continue;
        const input = render(step.input ?? {}, context) as Record<string, any>;
        if (step.action === 'fetch:template') {
          if (input.url !== './skeleton') {
            throw new Error(
              `fetch:template fetches ${input.url}, not ./skeleton`,
            );
          }
          workspace.setContent(renderSkeleton(input.values));
          continue;
        }
        const action =
          step.action === 'devops:pipeline:create'
            ? actions.create
            : actions.run;
        const { ctx, outputs } = actionContext(input, {
          workspacePath: workspace.path,
          userRef: 'user:default/ada',
          stepId: step.id,
        });
        await action.handler(ctx as any);
        steps[step.id] = { output: outputs };
      }

      const created = steps['create-pipeline'].output;
      expect(created.pipelineName).toBe(`${parameters.name}-ci`);
      expect(created.entityRef).toBe(`component:default/${parameters.name}`);
      expect(steps['run-pipeline'].output).toMatchObject({
        buildId: 1,
        status: 'succeeded',
      });
      const pipeline = await devops.getPipeline(created.pipelineId as string);
      expect(pipeline.status.createdBy).toBe('user:default/ada');
      const links = render(template.spec.output.links, {
        parameters,
        steps,
      }) as Array<{ url: string }>;
      expect(links.map(link => link.url)).toEqual([
        created.pipelineUrl,
        steps['run-pipeline'].output.runUrl,
      ]);
    });
  });
});
