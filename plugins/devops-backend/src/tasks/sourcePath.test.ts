import { sourcePath } from './sourcePath';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';

describe('sourcePath', () => {
  it.each([
    ['Dockerfile', '/workspace/source/Dockerfile'],
    ['./docker/Dockerfile', '/workspace/source/docker/Dockerfile'],
    ['/charts/nginx/', '/workspace/source/charts/nginx'],
    ['charts/../nginx', '/workspace/source/nginx'],
    ['.', '/workspace/source'],
    [
      'dir with space/Dockerfile',
      '/workspace/source/dir with space/Dockerfile',
    ],
  ])('places %s in the checked-out source', (path, expected) => {
    expect(sourcePath(path, 'dockerfile')).toBe(expected);
  });

  it.each(['..', '../Dockerfile', 'charts/../../etc/passwd'])(
    'refuses %s, which leaves the repository',
    path => {
      expect(() => sourcePath(path, 'chartPath')).toThrow(
        new TaskPlanError(
          `task field "chartPath" must be a path inside the repository; "${path}" leaves it`,
        ),
      );
    },
  );
});
