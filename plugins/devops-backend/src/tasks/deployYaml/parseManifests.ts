import { parseAllDocuments } from 'yaml';

/** One Kubernetes object of a manifest file, with its 1-based document number. */
export type Manifest = {
  document: number;
  object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
};

/**
 * Parses every YAML document of a manifest file, or fails naming the first bad document,
 * before anything is applied: a file half applied is harder to recover from than one
 * refused. Empty documents (a trailing `---`, comments only) are skipped.
 */
export function parseManifests(text: string, file: string): Manifest[] {
  // YAML 1.1, as kubectl reads it (sigs.k8s.io/yaml): `defaultMode: 0644` is octal there,
  // but decimal 644 in YAML 1.2.
  const documents = parseAllDocuments(text, { version: '1.1' });
  const manifests: Manifest[] = [];
  for (const [index, doc] of documents.entries()) {
    const document = index + 1;
    const where = `${file}, document ${document}`;
    const error = doc.errors[0];
    if (error) throw new Error(`${where} is not valid YAML: ${error.message}`);
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    if (!isKubernetesObject(object)) {
      throw new Error(
        `${where} is not a Kubernetes object: it needs apiVersion, kind and metadata.name`,
      );
    }
    manifests.push({ document, object });
  }
  return manifests;
}

function isKubernetesObject(value: unknown): value is Manifest['object'] {
  const object = value as Partial<Manifest['object']> | null;
  return (
    typeof object === 'object' &&
    object !== null &&
    !Array.isArray(object) &&
    typeof object.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof object.metadata?.name === 'string' &&
    object.metadata.name !== ''
  );
}
