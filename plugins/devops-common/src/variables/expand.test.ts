import {
  UnknownVariableError,
  expandKnown,
  expandStrict,
  expandTaskFields,
  referencedVariables,
} from './expand';
import type { Task } from '../model/tasks';

const vars = {
  BUILD_ID: '42',
  VERSION: '1.2.3',
  EMPTY: '',
  REGISTRY: 'hub.example.com',
};

/** Runs `fn`, which must throw an UnknownVariableError, and returns that error. */
function unknownVariableError(fn: () => unknown): UnknownVariableError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnknownVariableError);
    return error as UnknownVariableError;
  }
  throw new Error('expected an UnknownVariableError, nothing was thrown');
}

describe('referencedVariables', () => {
  it('lists each referenced name once, in order of first appearance', () => {
    expect(referencedVariables('${B}-${A}-${B}-$C-${c_1}')).toEqual([
      'B',
      'A',
      'c_1',
    ]);
  });

  it('finds nothing in a text without references', () => {
    expect(
      referencedVariables('$HOME ${ A } ${1X} ${A-B} $(date) {A}'),
    ).toEqual([]);
  });
});

describe('expandStrict', () => {
  it('replaces every known reference', () => {
    expect(expandStrict('alpha-${BUILD_ID}', vars, 'tag')).toBe('alpha-42');
    expect(
      expandStrict('${REGISTRY}/app:${VERSION}-${BUILD_ID}', vars, 'image'),
    ).toBe('hub.example.com/app:1.2.3-42');
  });

  it('replaces a variable used several times at each place', () => {
    expect(expandStrict('${BUILD_ID}.${BUILD_ID}/${BUILD_ID}', vars, 'x')).toBe(
      '42.42/42',
    );
  });

  it('expands a variable defined as empty to the empty string', () => {
    expect(expandStrict('a${EMPTY}b', vars, 'x')).toBe('ab');
  });

  it('leaves text without references alone', () => {
    expect(expandStrict('plain text', vars, 'x')).toBe('plain text');
    expect(expandStrict('', vars, 'x')).toBe('');
  });

  it('leaves $NAME without braces, and other shell syntax, untouched', () => {
    expect(expandStrict('$HOME/${VERSION}/$BUILD_ID', vars, 'x')).toBe(
      '$HOME/1.2.3/$BUILD_ID',
    );
    expect(expandStrict('$(date) ${ VERSION } ${1X} $$', vars, 'x')).toBe(
      '$(date) ${ VERSION } ${1X} $$',
    );
  });

  it('inserts values literally, without expanding them again or reading replacement patterns', () => {
    const tricky = { A: '${B}', B: 'b', C: "$& $' $$ $1" };
    expect(expandStrict('${A}|${C}', tricky, 'x')).toBe("${B}|$& $' $$ $1");
  });

  it('is case sensitive', () => {
    const error = unknownVariableError(() =>
      expandStrict('${build_id}', vars, 'tag'),
    );
    expect(error.names).toEqual(['build_id']);
  });

  it('fails on an unknown variable, naming it and the place', () => {
    const error = unknownVariableError(() =>
      expandStrict('v${VERSION}-${GIT_SHA}', vars, 'task field "tag"'),
    );
    expect(error.name).toBe('UnknownVariableError');
    expect(error.names).toEqual(['GIT_SHA']);
    expect(error.message).toBe(
      'task field "tag" refers to undefined variable ${GIT_SHA}; define it as a pipeline parameter, pass it with the run, or write it to $DEVOPS_OUTPUT in an earlier task',
    );
  });

  it('names all unknown variables, each once', () => {
    const error = unknownVariableError(() =>
      expandStrict(
        '${A}-${VERSION}-${B}-${A}-${C}',
        vars,
        'task field "version"',
      ),
    );
    expect(error.names).toEqual(['A', 'B', 'C']);
    expect(error.message).toMatch(
      /^task field "version" refers to undefined variables \$\{A\}, \$\{B\}, \$\{C\}; /,
    );
  });

  it.each([
    'constructor',
    'toString',
    'hasOwnProperty',
    '__proto__',
    'valueOf',
  ])('does not take the inherited property %s for a variable', name => {
    const error = unknownVariableError(() =>
      expandStrict(`\${${name}}`, vars, 'tag'),
    );
    expect(error.names).toEqual([name]);
  });

  it('finds a variable that is an own property even if its name is inherited elsewhere', () => {
    expect(expandStrict('${constructor}', { constructor: 'c' }, 'x')).toBe('c');
  });
});

describe('expandKnown', () => {
  it('expands known variables and keeps unknown ones as written, reporting them', () => {
    const text =
      'image: ${REGISTRY}/app:${VERSION}\nhost: ${INGRESS_HOST}\nport: ${PORT}\nagain: ${PORT}\n';
    expect(expandKnown(text, vars)).toEqual({
      text: 'image: hub.example.com/app:1.2.3\nhost: ${INGRESS_HOST}\nport: ${PORT}\nagain: ${PORT}\n',
      unknown: ['INGRESS_HOST', 'PORT'],
    });
  });

  it('reports nothing when everything is known', () => {
    expect(expandKnown('${BUILD_ID} $HOME', vars)).toEqual({
      text: '42 $HOME',
      unknown: [],
    });
  });

  it('does not take inherited properties for variables', () => {
    expect(expandKnown('${constructor}${__proto__}', {})).toEqual({
      text: '${constructor}${__proto__}',
      unknown: ['constructor', '__proto__'],
    });
  });
});

describe('expandTaskFields', () => {
  const script =
    'echo "${BUILD_ID} in $HOME and ${HOME}; ${NOT_DEFINED}"\necho "V=${VERSION}" >> "$DEVOPS_OUTPUT"';

  it('expands the fields of a script task but leaves its script for the shell', () => {
    const task: Task = {
      name: 'test-${BUILD_ID}',
      type: 'runScript',
      image: '${REGISTRY}/node',
      tag: '22-${VERSION}',
      script,
      env: [
        { name: 'CI', value: 'true' },
        { name: 'APP_VERSION', value: '${VERSION}+${BUILD_ID}' },
      ],
    };
    const before = structuredClone(task);

    expect(expandTaskFields(task, vars)).toEqual({
      name: 'test-42',
      type: 'runScript',
      image: 'hub.example.com/node',
      tag: '22-1.2.3',
      script,
      env: [
        { name: 'CI', value: 'true' },
        { name: 'APP_VERSION', value: '1.2.3+42' },
      ],
    });
    expect(task).toEqual(before);
  });

  it('expands nested values of a chart deployment and keeps other types', () => {
    const task: Task = {
      name: 'release',
      type: 'deployChart',
      release: 'web-${BUILD_ID}',
      chart: 'nginx',
      version: '6.0.1-alpha.${BUILD_ID}',
      cluster: 'prod',
      namespace: 'web',
      values: {
        replicaCount: 2,
        enabled: true,
        nothing: null,
        image: { repository: '${REGISTRY}/nginx', tag: '${VERSION}' },
        hosts: ['a-${BUILD_ID}.example.com', { name: '${VERSION}' }],
      },
    };
    expect(expandTaskFields(task, vars)).toEqual({
      ...task,
      release: 'web-42',
      version: '6.0.1-alpha.42',
      values: {
        replicaCount: 2,
        enabled: true,
        nothing: null,
        image: { repository: 'hub.example.com/nginx', tag: '1.2.3' },
        hosts: ['a-42.example.com', { name: '1.2.3' }],
      },
    });
  });

  it('keeps booleans of a YAML deployment', () => {
    const task: Task = {
      name: 'deploy',
      type: 'deployYaml',
      file: 'k8s/${VERSION}.yaml',
      cluster: 'prod',
      namespace: 'web',
      createNamespace: true,
    };
    expect(expandTaskFields(task, vars)).toEqual({
      ...task,
      file: 'k8s/1.2.3.yaml',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a top-level field', { tag: 'v${MISSING}' }, 'task field "tag"'],
    [
      'an env value',
      {
        env: [
          { name: 'A', value: 'x' },
          { name: 'B', value: '${MISSING}' },
        ],
      },
      'task field "env[1].value"',
    ],
    [
      'a nested chart value',
      { values: { image: { tag: '${MISSING}' } } },
      'task field "values.image.tag"',
    ],
    [
      'a chart value in a list',
      { values: { hosts: ['ok', '${MISSING}'] } },
      'task field "values.hosts[1]"',
    ],
  ])(
    'names the field when %s refers to an unknown variable',
    (_, fields, where) => {
      const error = unknownVariableError(() =>
        expandTaskFields(
          { name: 't', type: 'runScript', script: '${MISSING}', ...fields },
          vars,
        ),
      );
      expect(error.names).toEqual(['MISSING']);
      expect(
        error.message.startsWith(
          `${where} refers to undefined variable \${MISSING};`,
        ),
      ).toBe(true);
    },
  );

  it('keeps the fields it is told to keep', () => {
    expect(
      expandTaskFields({ a: '${BUILD_ID}', b: '${UNKNOWN}' }, vars, ['b']),
    ).toEqual({ a: '42', b: '${UNKNOWN}' });
  });

  it('expands the script too when told to keep nothing', () => {
    expect(() => expandTaskFields({ script }, vars, [])).toThrow(
      UnknownVariableError,
    );
  });
});
