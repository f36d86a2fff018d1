import { parseManifests } from './parseManifests';

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifests', () => {
  it('reads every document, numbering them as they stand in the file and skipping empty ones', () => {
    const text = `---\n# comment only\n---\n${configMap(
      'a',
    )}---\n\n---\n${configMap('b')}---\n`;
    expect(
      parseManifests(text, 'app.yaml').map(m => [
        m.document,
        m.object.metadata.name,
      ]),
    ).toEqual([
      [2, 'a'],
      [4, 'b'],
    ]);
  });

  it('reads YAML 1.1 as kubectl does: leading-zero octal numbers', () => {
    const [manifest] = parseManifests(
      `${configMap('a')}spec:\n  mode: 0644\n  flag: yes\n`,
      'app.yaml',
    );
    expect(manifest.object.spec).toEqual({ mode: 0o644, flag: true });
  });

  it.each([
    [
      'bad indentation',
      `${configMap('a')}---\nmetadata:\n  name: b\n   labels: {}\n`,
    ],
    ['an unclosed flow mapping', `${configMap('a')}---\nmetadata: { name: b\n`],
    [
      'a duplicate key',
      `${configMap('a')}---\n${configMap('b')}kind: Secret\n`,
    ],
  ])('names the document with %s', (_, text) => {
    expect(() => parseManifests(text, 'app.yaml')).toThrow(
      /^app\.yaml, document 2 is not valid YAML: /,
    );
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'just text\n'],
    ['no kind', 'apiVersion: v1\nmetadata: { name: a }\n'],
    [
      'no name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: a- }\n',
    ],
    [
      'an empty name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: "" }\n',
    ],
  ])('refuses %s, which is not a Kubernetes object', (_, text) => {
    expect(() => parseManifests(text, 'app.yaml')).toThrow(
      'app.yaml, document 1 is not a Kubernetes object: it needs apiVersion, kind and metadata.name',
    );
  });

  it('finds nothing in an empty file', () => {
    expect(parseManifests('', 'app.yaml')).toEqual([]);
  });
});
