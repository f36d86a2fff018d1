import { mayHoldForSomeEntity } from './mayHoldForSomeEntity';

const NORA = 'user:default/nora';
const entities = (...values: string[]) => ({
  column: 'entity_ref' as const,
  values,
  ignoreCase: true,
});
const creators = (...values: string[]) => ({
  column: 'created_by' as const,
  values,
});

describe('mayHoldForSomeEntity', () => {
  it('holds when the projects own an entity, and not when they own none', () => {
    expect(
      mayHoldForSomeEntity(entities('component:default/jack-2048'), NORA),
    ).toBe(true);
    expect(mayHoldForSomeEntity(entities(), NORA)).toBe(false);
  });

  it('knows the creator', () => {
    expect(mayHoldForSomeEntity(creators(NORA), NORA)).toBe(true);
    expect(mayHoldForSomeEntity(creators('user:default/pat'), NORA)).toBe(
      false,
    );
    expect(mayHoldForSomeEntity({ not: creators(NORA) }, NORA)).toBe(false);
    // Some entity lies outside any list.
    expect(
      mayHoldForSomeEntity({ not: entities('component:default/a') }, NORA),
    ).toBe(true);
  });

  it('combines', () => {
    const none = entities();
    const some = entities('component:default/jack-2048');
    expect(mayHoldForSomeEntity({ anyOf: [none, creators(NORA)] }, NORA)).toBe(
      true,
    );
    expect(mayHoldForSomeEntity({ anyOf: [none, creators('x')] }, NORA)).toBe(
      false,
    );
    expect(mayHoldForSomeEntity({ allOf: [some, creators(NORA)] }, NORA)).toBe(
      true,
    );
    expect(mayHoldForSomeEntity({ allOf: [some, none] }, NORA)).toBe(false);
  });

  it('wants project conditions resolved first', () => {
    expect(() => mayHoldForSomeEntity({ projectOf: [NORA] }, NORA)).toThrow(
      'resolved through the catalog first',
    );
  });
});
