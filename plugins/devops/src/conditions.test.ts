import type { Entity } from '@backstage/catalog-model';
import { isDevopsAvailable } from './conditions';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'jack-2048', annotations },
});

describe('isDevopsAvailable', () => {
  it('holds for entities with the pipelines annotation', () => {
    expect(
      isDevopsAvailable(entity({ 'devops.backstage.io/pipelines': 'true' })),
    ).toBe(true);
  });

  it('does not hold for other entities', () => {
    expect(isDevopsAvailable(entity())).toBe(false);
    expect(
      isDevopsAvailable(entity({ 'backstage.io/techdocs-ref': 'dir:.' })),
    ).toBe(false);
  });
});
