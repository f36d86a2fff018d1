import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import scaffolderModuleDevops from './index';

describe('scaffolderModuleDevops', () => {
  it('registers devops:pipeline:create and devops:pipeline:run with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleDevops,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'https://portal.example.com' } },
        }),
      ],
    });
    try {
      expect(actions.map(a => a.id)).toEqual([
        'devops:pipeline:create',
        'devops:pipeline:run',
      ]);
      expect(actions.every(a => a.supportsDryRun)).toBe(true);
      // The zod schemas become the JSON schemas the template editor shows.
      expect(
        Object.keys((actions[0].schema?.input as any).properties).sort(),
      ).toEqual(['document', 'entityRef', 'name', 'path', 'title', 'yaml']);
      expect((actions[1].schema?.input as any).required).toEqual([
        'pipelineId',
      ]);
      expect(
        Object.keys((actions[1].schema?.output as any).properties).sort(),
      ).toEqual(['buildId', 'runId', 'runUrl', 'status']);
    } finally {
      await backend.stop();
    }
  });
});
