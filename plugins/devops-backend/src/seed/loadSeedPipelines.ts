import { LoggerService } from '@backstage/backend-plugin-api';
import { describeIssues, pipelineDocumentSchema } from '@devops-pipelines/plugin-devops-common';
import { promises as fs } from 'fs';
import { join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { separateSecrets } from '../secrets/parameters';
import type { TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry';
import type { SeedDirectory } from './readSeedConfig';

/** The creator recorded for pipelines that came from seed files, unless config names one. */
export const SEED_CREATOR = 'service:devops-seed';

/**
 * Loads pipeline documents from the YAML files of each folder (not of its sub-folders:
 * the demo's nora/ folder has a creator of its own) that are not stored yet, recorded as
 * created by the folder's creator, else by `defaultCreator`. A bad file (or a task of a
 * type no module of this portal adds) is reported and
 * skipped; it never stops the backend.
 */
export async function loadSeedPipelines(
  directories: SeedDirectory[],
  store: DatabasePipelineStore,
  logger: LoggerService,
  defaultCreator: string,
  taskTypes: TaskTypeRegistry,
): Promise<void> {
  for (const directory of directories) {
    const dir = resolve(directory.path);
    const createdBy = directory.createdBy ?? defaultCreator;
    const files = (await fs.readdir(dir)).filter(f => /\.ya?ml$/.test(f)).sort();
    for (const file of files) {
      const text = await fs.readFile(join(dir, file), 'utf8');
      for (const yamlDoc of parseAllDocuments(text)) {
        const parsed = pipelineDocumentSchema.safeParse(yamlDoc.toJS());
        if (!parsed.success) {
          logger.warn(`Skipped seed pipeline in ${file}: ${describeIssues(parsed.error)}`);
          continue;
        }
        try {
          taskTypes.checkDocument(parsed.data);
        } catch (error) {
          logger.warn(`Skipped seed pipeline in ${file}: ${(error as Error).message}`);
          continue;
        }
        const { metadata } = parsed.data;
        const existing = await store.list({
          entityRef: metadata.entityRef,
          search: metadata.name,
          limit: 50,
          offset: 0,
        });
        if (existing.items.some(p => p.document.metadata.name === metadata.name)) continue;
        const { spec, secrets } = separateSecrets(parsed.data.spec);
        await store.create({
          document: { ...parsed.data, spec },
          secrets,
          createdBy,
        });
        logger.info(
          `Loaded seed pipeline ${metadata.name} from ${file}, created by ${createdBy}`,
        );
      }
    }
  }
}
