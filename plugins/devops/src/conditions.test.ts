import type { Entity } from '@backstage/catalog-model';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { devopsApiRef, type DevopsApi } from './api';
import { hasDevopsAnnotation, isDevopsAvailable } from './conditions';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'jack-2048', annotations },
});

const apisWith = (listPipelines: DevopsApi['listPipelines']): ApiHolder => ({
  get: (ref: { id: string }) =>
    (ref.id === devopsApiRef.id ? { listPipelines } : undefined) as any,
});

describe('hasDevopsAnnotation', () => {
  it('holds for entities with the pipelines annotation only', () => {
    expect(
      hasDevopsAnnotation(entity({ 'devops.backstage.io/pipelines': 'true' })),
    ).toBe(true);
    expect(
      hasDevopsAnnotation(entity({ 'backstage.io/techdocs-ref': 'dir:.' })),
    ).toBe(false);
  });
});

describe('isDevopsAvailable', () => {
  it('holds at once for entities with the pipelines annotation', () => {
    expect(
      isDevopsAvailable(entity({ 'devops.backstage.io/pipelines': 'true' })),
    ).toBe(true);
  });

  it('does not hold for other entities when no API is at hand', () => {
    expect(isDevopsAvailable(entity())).toBe(false);
  });

  it('asks the backend whether pipelines belong to an entity without the annotation', async () => {
    const listPipelines = jest
      .fn()
      .mockResolvedValue({ items: [{}], totalCount: 1 });
    await expect(
      isDevopsAvailable(entity(), { apis: apisWith(listPipelines) }),
    ).resolves.toBe(true);
    expect(listPipelines).toHaveBeenCalledWith({
      entityRef: 'component:default/jack-2048',
      limit: 1,
    });

    listPipelines.mockResolvedValue({ items: [], totalCount: 0 });
    await expect(
      isDevopsAvailable(entity(), { apis: apisWith(listPipelines) }),
    ).resolves.toBe(false);
  });

  it('stays hidden when the backend cannot answer', async () => {
    const listPipelines = jest.fn().mockRejectedValue(new Error('down'));
    await expect(
      isDevopsAvailable(entity(), { apis: apisWith(listPipelines) }),
    ).resolves.toBe(false);
  });
});
