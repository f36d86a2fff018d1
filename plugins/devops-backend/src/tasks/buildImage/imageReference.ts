import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';

/** A path component of an image name, as the OCI distribution spec defines it. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * `<registry>/<workspace>/<image>:<tag>`, checked before the pod starts: kaniko would
 * only refuse a bad name after building the whole image.
 */
export function imageReference(
  registryHost: string,
  fields: { workspace: string; image: string; tag: string },
): string {
  for (const field of ['workspace', 'image'] as const) {
    const value = fields[field];
    if (!value.split('/').every(part => PATH_COMPONENT.test(part))) {
      throw new TaskPlanError(
        `task field "${field}" is "${value}", which is not a valid image name part: use lowercase letters and digits, separated by ".", "_", "-" or "/" (for example "my-app")`,
      );
    }
  }
  if (!TAG.test(fields.tag)) {
    throw new TaskPlanError(
      `task field "tag" is "${fields.tag}", which is not a valid image tag: use at most 128 letters, digits, "_", "." and "-", not starting with "." or "-" (for example "alpha-42")`,
    );
  }
  return `${registryHost}/${fields.workspace}/${fields.image}:${fields.tag}`;
}
