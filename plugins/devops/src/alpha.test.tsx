import devopsPlugin from './alpha';

// What an extension is and where it attaches, as the frontend system describes a
// definition; the demo app's test (packages/app) shows them on a real entity page.
describe('the plugin for the new frontend system', () => {
  it('adds the Pipelines card to the catalog entity overview', () => {
    expect(
      String(devopsPlugin.getExtension('entity-card:devops/pipelines')),
    ).toBe(
      'ExtensionDefinition{kind=entity-card,name=pipelines,' +
        'attachTo=entity-content:catalog/overview@cards}',
    );
  });

  it('adds the Pipelines tab to the catalog entity page', () => {
    expect(String(devopsPlugin.getExtension('entity-content:devops'))).toBe(
      'ExtensionDefinition{kind=entity-content,' +
        'attachTo=page:catalog/entity@contents}',
    );
  });
});
