import { ConfigReader } from '@backstage/config';
import { DEFAULT_TASK_IMAGES, readTaskToolSettings } from './config';

const read = (devops: object) =>
  readTaskToolSettings(new ConfigReader({ devops }));

describe('readTaskToolSettings', () => {
  it('uses public images and no registry or chart repository by default', () => {
    expect(read({})).toEqual({
      images: DEFAULT_TASK_IMAGES,
      registry: undefined,
      chartRepository: undefined,
    });
  });

  it('reads mirrored images, the registry and the chart repository', () => {
    expect(
      read({
        kubernetes: {
          images: {
            kaniko: 'mirror.local/kaniko:v1',
            helm: 'mirror.local/helm:3',
          },
        },
        registry: {
          host: 'registry.local:5000/',
          credentialsSecret: 'registry-push',
          insecure: true,
        },
        chartRepository: {
          type: 'chartmuseum',
          url: 'http://charts.local:8080/',
          credentialsSecret: 'chart-push',
        },
      }),
    ).toEqual({
      images: {
        git: DEFAULT_TASK_IMAGES.git,
        kaniko: 'mirror.local/kaniko:v1',
        helm: 'mirror.local/helm:3',
      },
      registry: {
        host: 'registry.local:5000',
        credentialsSecret: 'registry-push',
        insecure: true,
      },
      chartRepository: {
        type: 'chartmuseum',
        url: 'http://charts.local:8080',
        credentialsSecret: 'chart-push',
      },
    });
  });

  it.each(['oci://harbor.local/charts', 'harbor.local/charts/'])(
    'writes the OCI repository %s as helm addresses it',
    url => {
      expect(
        read({ chartRepository: { type: 'oci', url } }).chartRepository,
      ).toEqual({
        type: 'oci',
        url: 'oci://harbor.local/charts',
        credentialsSecret: undefined,
      });
    },
  );

  it('is not insecure unless told so', () => {
    expect(read({ registry: { host: 'hub.example.com' } }).registry).toEqual({
      host: 'hub.example.com',
      credentialsSecret: undefined,
      insecure: false,
    });
  });

  it.each([
    [
      { registry: { host: 'https://hub.example.com' } },
      /devops\.registry\.host must be a host name .*got "https:\/\/hub\.example\.com"/,
    ],
    [
      { registry: { host: 'hub.example.com/devops' } },
      /devops\.registry\.host must be a host name/,
    ],
    [
      { chartRepository: { type: 'helm', url: 'https://x' } },
      'devops.chartRepository.type must be one of oci, chartmuseum; got "helm"',
    ],
    [
      { chartRepository: { type: 'chartmuseum', url: 'charts.local' } },
      /ChartMuseum must be an http\(s\) URL/,
    ],
    [
      { chartRepository: { type: 'oci', url: 'https://harbor.local' } },
      /must look like oci:\/\/registry\.example\.com\/charts/,
    ],
    [
      { registry: {} },
      /Missing required config value at 'devops\.registry\.host'/,
    ],
  ])('refuses %j at startup', (devops, message) => {
    expect(() => read(devops)).toThrow(message);
  });
});
