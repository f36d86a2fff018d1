import { NAMESPACE_NAME_PATTERN } from './bindRequest';
import { bindingNamespace } from './bindingNamespace';

describe('bindingNamespace', () => {
  it('is the prefix and the cluster name', () => {
    expect(bindingNamespace('devops', 'staging')).toBe('devops-staging');
    expect(bindingNamespace('devops', 'eu-prod-2')).toBe('devops-eu-prod-2');
  });

  it('makes other names namespace names, kept apart by a hash of the original', () => {
    const dotted = bindingNamespace('devops', 'prod.eu.example.com');
    const upper = bindingNamespace('devops', 'Prod.EU.example.com');
    expect(dotted).toMatch(/^devops-prod-eu-example-com-[0-9a-f]{6}$/);
    expect(upper).toMatch(/^devops-prod-eu-example-com-[0-9a-f]{6}$/);
    expect(upper).not.toBe(dotted);
    const long = bindingNamespace('devops', 'x'.repeat(80));
    expect(long).toHaveLength(63);
    for (const name of [dotted, upper, long, bindingNamespace('d', '---')]) {
      expect(name).toMatch(NAMESPACE_NAME_PATTERN);
    }
  });
});
