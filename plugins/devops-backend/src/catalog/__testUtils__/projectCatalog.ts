import type { Entity } from '@backstage/catalog-model';

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

/**
 * A catalog with nested groups, as the catalog's processors leave them (with their
 * relations): org > web-team > web-frontend. jack-2048 belongs to web-team, shop to org,
 * and solo to the user bob alone.
 */
export const PROJECT_CATALOG: Entity[] = [
  group('org'),
  group('web-team', 'org'),
  group('web-frontend', 'web-team'),
  group('payments'),
  component('jack-2048', 'group:default/web-team'),
  component('shop', 'group:default/org'),
  component('solo', 'user:default/bob'),
  component('payments-api', 'group:default/payments'),
];
