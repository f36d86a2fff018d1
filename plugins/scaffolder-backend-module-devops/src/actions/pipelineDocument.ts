import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  PipelineDocument,
  describeIssues,
  pipelineDocumentSchema,
} from '@devops-pipelines/plugin-devops-common';
import fs from 'fs/promises';
import { parse as parseYaml } from 'yaml';

/** Where devops:pipeline:create takes the pipeline from, and what it changes in it. */
export type PipelineDocumentInput = {
  /** The pipeline document as an object. */
  document?: Record<string, unknown>;
  /** The pipeline document as YAML (or JSON) text. */
  yaml?: string;
  /** A YAML file in the template's workspace, relative to it. */
  path?: string;
  /** Replaces metadata.name. */
  name?: string;
  /** Replaces metadata.title. */
  title?: string;
  /** Replaces metadata.entityRef: the entity (the new component) the pipeline belongs to. */
  entityRef?: string;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parsePipelineYaml(text: string, from: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(
      `The pipeline YAML ${from} could not be read: ${
        (error as Error).message
      }`,
    );
  }
}

async function readWorkspaceFile(
  workspacePath: string,
  relativePath: string,
): Promise<string> {
  let file: string;
  try {
    file = resolveSafeChildPath(workspacePath, relativePath);
  } catch {
    throw new NotAllowedError(
      `path: ${relativePath} is outside the template's workspace`,
    );
  }
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' || code === 'EISDIR'
        ? `path: there is no file ${relativePath} in the template's workspace; a step before this one (fetch:template) writes it there`
        : `path: ${relativePath} could not be read: ${
            (error as Error).message
          }`,
    );
  }
}

/**
 * The pipeline document the input describes, with its overrides applied and validated
 * with the schema the devops backend checks it with, so a bad document fails the step
 * before anything is sent (and in a dry run too), naming each bad field.
 */
export async function resolvePipelineDocument(
  input: PipelineDocumentInput,
  workspacePath: string,
): Promise<PipelineDocument> {
  const given = (['document', 'yaml', 'path'] as const).filter(
    key => input[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new InputError(
      given.length
        ? `Give the pipeline as one of document, yaml or path, not ${given.join(
            ' and ',
          )}`
        : 'Give the pipeline as document (an object), yaml (its text) or path (a YAML file in the workspace)',
    );
  }
  let from = '';
  let parsed: unknown;
  if (input.document !== undefined) {
    from = 'in document';
    parsed = input.document;
  } else if (input.yaml !== undefined) {
    from = 'in yaml';
    parsed = parsePipelineYaml(input.yaml, 'given as yaml');
  } else {
    from = `in ${input.path}`;
    parsed = parsePipelineYaml(
      await readWorkspaceFile(workspacePath, input.path!),
      `in ${input.path}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new InputError(
      `The pipeline ${from} is not a pipeline document (an object with apiVersion, kind, metadata and spec)`,
    );
  }
  const overrides = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.entityRef !== undefined ? { entityRef: input.entityRef } : {}),
  };
  const candidate = Object.keys(overrides).length
    ? {
        ...parsed,
        metadata: {
          ...(isRecord(parsed.metadata) ? parsed.metadata : {}),
          ...overrides,
        },
      }
    : parsed;
  const result = pipelineDocumentSchema.safeParse(candidate);
  if (!result.success) {
    throw new InputError(
      `The pipeline ${from} is not valid: ${describeIssues(result.error)}`,
    );
  }
  return result.data;
}

/** Secret parameters that have no value: a template should not hold secret values. */
export function secretsWithoutValue(document: PipelineDocument): string[] {
  return (document.spec.parameters ?? [])
    .filter(p => p.secret && p.value === undefined)
    .map(p => p.name);
}

/** JSON with object keys sorted, to compare documents whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/**
 * Whether a stored pipeline is the one this document creates: same metadata and spec,
 * secret values aside (the API never returns them).
 */
export function sameDocument(
  stored: Pick<PipelineDocument, 'metadata' | 'spec'>,
  document: PipelineDocument,
): boolean {
  const withoutSecretValues = (doc: Pick<PipelineDocument, 'spec'>) =>
    doc.spec.parameters?.map(p => (p.secret ? { ...p, value: undefined } : p));
  return (
    canonical(stored.metadata) === canonical(document.metadata) &&
    canonical({
      ...stored.spec,
      parameters: withoutSecretValues(stored),
    }) ===
      canonical({ ...document.spec, parameters: withoutSecretValues(document) })
  );
}
