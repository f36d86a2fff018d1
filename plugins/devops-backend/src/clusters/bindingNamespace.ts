import { createHash } from 'crypto';

/** The longest a namespace name may be (an RFC 1123 label). */
const MAX_LENGTH = 63;
/** The longest prefix, so that every binding's namespace keeps some of its cluster's name. */
export const MAX_PREFIX_LENGTH = 40;

/**
 * The namespace a binding creates unless it names one: `<prefix>-<cluster name>`, so two
 * bindings on one cluster (two names the portal knows it by) never share one. A cluster
 * name that is not a namespace name as it is (upper case, dots, too long) is made one and
 * given a short hash of the original, so two such names still differ.
 */
export function bindingNamespace(prefix: string, clusterName: string): string {
  const slug = clusterName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const plain = `${prefix}-${slug}`;
  if (slug === clusterName && slug && plain.length <= MAX_LENGTH) return plain;
  const hash = createHash('sha256')
    .update(clusterName)
    .digest('hex')
    .slice(0, 6);
  const head = plain.slice(0, MAX_LENGTH - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}
