import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { requiredText } from '@devops-pipelines/plugin-devops-common';
import { z } from 'zod';

/** A Kubernetes namespace name: an RFC 1123 label. */
export const NAMESPACE_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const NAMESPACE_NAME_RULE =
  'must be 1 to 63 characters of lowercase letters, digits and "-", starting and ending with a letter or digit';

/** A catalog group ref, `group:default/team-a` or short `team-a`, stored in full. */
const groupRefSchema = requiredText('a group ref').transform((text, ctx) => {
  try {
    const ref = parseEntityRef(text, { defaultKind: 'group', defaultNamespace: 'default' });
    if (ref.kind.toLocaleLowerCase('en-US') === 'group') return stringifyEntityRef(ref);
    ctx.addIssue({ code: 'custom', message: `"${text}" is a ${ref.kind}, not a group` });
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not an entity ref such as group:default/team-a` });
  }
  return z.NEVER;
});

/** POST /clusters: which cluster, where its task pods go, and whose pipelines it serves. */
export const bindClusterRequestSchema = z.strictObject({
  name: requiredText('a cluster name'),
  namespace: z.string().regex(NAMESPACE_NAME_PATTERN, NAMESPACE_NAME_RULE).optional(),
  /** Empty or unset: the whole portal. */
  scope: z
    .array(groupRefSchema)
    .transform(refs => [...new Set(refs)])
    .optional(),
});
