import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PipelineDocument } from '@devops-pipelines/plugin-devops-common';
import { DevopsApiClient } from '../client/DevopsApiClient';
import {
  resolvePipelineDocument,
  sameDocument,
  secretsWithoutValue,
} from './pipelineDocument';
import { AppLinks, DRY_RUN_PIPELINE_ID } from './links';

export const CREATE_PIPELINE_ACTION_ID = 'devops:pipeline:create';

const userRefOf = (credentials: BackstageCredentials) => {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
};

/**
 * `devops:pipeline:create`: creates a pipeline from a pipeline document (an object, its
 * YAML, or a YAML file the template wrote into its workspace) as the user who runs the
 * template.
 */
export function createPipelineAction(options: {
  client: DevopsApiClient;
  links: AppLinks;
}) {
  const { client, links } = options;
  return createTemplateAction({
    id: CREATE_PIPELINE_ACTION_ID,
    description:
      "Creates a DevOps pipeline from a pipeline document (devops.backstage.io/v1 Pipeline), as the user who runs the template: the portal's permission policy decides whether they may create it for the entity.",
    supportsDryRun: true,
    examples: [
      {
        description:
          'The pipeline.yaml that fetch:template wrote into the workspace, for the new component',
        example: [
          'steps:',
          '  - id: create-pipeline',
          '    action: devops:pipeline:create',
          '    input:',
          '      path: pipeline.yaml',
          '      entityRef: component:default/${{ parameters.name }}',
        ].join('\n'),
      },
      {
        description: 'A pipeline given in the template itself',
        example: [
          'steps:',
          '  - id: create-pipeline',
          '    action: devops:pipeline:create',
          '    input:',
          '      document:',
          '        apiVersion: devops.backstage.io/v1',
          '        kind: Pipeline',
          '        metadata:',
          '          name: ${{ parameters.name }}-build',
          '          entityRef: component:default/${{ parameters.name }}',
          '        spec:',
          '          stages:',
          '            - name: Build',
          '              tasks:',
          '                - { name: build, type: runScript, image: node, tag: 22-alpine, script: npm ci }',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        document: z =>
          z
            .record(z.any())
            .optional()
            .describe(
              'The pipeline document as an object (apiVersion devops.backstage.io/v1, kind Pipeline, metadata, spec). Give one of document, yaml and path.',
            ),
        yaml: z =>
          z.string().optional().describe('The pipeline document as YAML text'),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              "A YAML file with the pipeline document, relative to the template's workspace (where fetch:template writes the skeleton)",
            ),
        name: z =>
          z
            .string()
            .optional()
            .describe("Replaces the document's metadata.name"),
        title: z =>
          z
            .string()
            .optional()
            .describe("Replaces the document's metadata.title"),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              "Replaces the document's metadata.entityRef: the catalog entity the pipeline belongs to, e.g. the new component's ref",
            ),
      },
      output: {
        pipelineId: z =>
          z
            .string()
            .describe(
              'The id devops:pipeline:run takes (a placeholder in a dry run)',
            ),
        pipelineName: z => z.string().describe("The pipeline's name"),
        entityRef: z =>
          z.string().describe('The entity the pipeline belongs to'),
        pipelineUrl: z =>
          z.string().describe("The pipeline's page in the portal"),
        created: z =>
          z
            .boolean()
            .describe(
              'false when the pipeline existed already, as an earlier attempt of this step had created it (a retried task whose checkpoint was lost), and was taken as it is',
            ),
      },
    },
    async handler(ctx) {
      const document = await resolvePipelineDocument(
        ctx.input,
        ctx.workspacePath,
      );
      const { name, entityRef } = document.metadata;
      const unset = secretsWithoutValue(document);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create pipeline "${name}" for ${entityRef} (the document is valid); pipelineId is the placeholder "${DRY_RUN_PIPELINE_ID}"`,
        );
        ctx.output('pipelineId', DRY_RUN_PIPELINE_ID);
        ctx.output('pipelineName', name);
        ctx.output('entityRef', entityRef);
        ctx.output('pipelineUrl', links.pipeline(DRY_RUN_PIPELINE_ID));
        ctx.output('created', true);
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // A retried task gets the earlier attempt's result from its checkpoint instead of
      // creating the pipeline again (the API would refuse the name with a 409).
      const result = await ctx.checkpoint({
        key: `devops.pipeline.create.${entityRef}.${name}`,
        fn: async () => {
          const pipeline = await createOrFind(credentials, document, unset);
          return {
            pipelineId: pipeline.id,
            created: pipeline.created,
          };
        },
      });

      if (result.created) {
        ctx.logger.info(
          `Created pipeline "${name}" for ${entityRef}: ${links.pipeline(
            result.pipelineId,
          )}`,
        );
      }
      if (unset.length) {
        ctx.logger.warn(
          `The secret parameter(s) ${unset.join(
            ', ',
          )} have no value: runs of "${name}" are refused until its owner sets them on the pipeline's page`,
        );
      }
      ctx.output('pipelineId', result.pipelineId);
      ctx.output('pipelineName', name);
      ctx.output('entityRef', entityRef);
      ctx.output('pipelineUrl', links.pipeline(result.pipelineId));
      ctx.output('created', result.created);

      async function createOrFind(
        creds: BackstageCredentials,
        doc: PipelineDocument,
        secretsLater: string[],
      ): Promise<{ id: string; created: boolean }> {
        try {
          const created = await client.createPipeline(creds, doc, {
            secretsLater: secretsLater.length > 0,
          });
          return { id: created.status.id, created: true };
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          // The name is taken for the entity. When it is by the pipeline an earlier
          // attempt of this step created (same creator, same document), that one is it.
          const existing = await client
            .findPipeline(creds, doc.metadata.entityRef, doc.metadata.name)
            .catch(() => undefined);
          const userRef = userRefOf(creds);
          if (
            existing &&
            userRef &&
            existing.status.createdBy === userRef &&
            sameDocument(existing, doc)
          ) {
            ctx.logger.info(
              `Pipeline "${doc.metadata.name}" for ${doc.metadata.entityRef} already exists as this step would create it (an earlier attempt made it); using it`,
            );
            return { id: existing.status.id, created: false };
          }
          throw error;
        }
      }
    },
  });
}
