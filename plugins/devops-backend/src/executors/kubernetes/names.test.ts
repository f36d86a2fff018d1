import { labelValue, runSourceSecretName, taskPodName } from './names';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('taskPodName', () => {
  it('is stable, unique per task run and attempt, and a DNS-1123 label', () => {
    const id = '0753f5c8-4810-48ea-878d-628d685c1626';
    const name = taskPodName({ buildId: 42 }, id, 1);
    expect(name).toBe('devops-42-0753f5c8481048ea878d628d685c1626-1');
    expect(taskPodName({ buildId: 42 }, id, 1)).toBe(name);
    expect(taskPodName({ buildId: 42 }, id, 2)).not.toBe(name);
    expect(taskPodName({ buildId: 42 }, '1753f5c8-4810-48ea-878d-628d685c1626', 1)).not.toBe(name);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_LABEL);
  });

  it('hashes ids that are not UUIDs instead of cutting them', () => {
    const a = taskPodName({ buildId: 1 }, 'Task_Run/With Odd Characters', 1);
    const b = taskPodName({ buildId: 1 }, 'Task_Run/With Odd Characters!', 1);
    expect(a).toMatch(DNS_LABEL);
    expect(a).not.toBe(b);
    expect(taskPodName({ buildId: 1e15 }, 'x'.repeat(100), 123456)).toMatch(DNS_LABEL);
    expect(taskPodName({ buildId: 1e15 }, 'x'.repeat(100), 123456).length).toBeLessThanOrEqual(63);
  });
});

describe('labelValue', () => {
  it('keeps valid values and hashes the others', () => {
    expect(labelValue('0753f5c8-4810-48ea-878d-628d685c1626')).toBe('0753f5c8-4810-48ea-878d-628d685c1626');
    expect(labelValue('not valid!')).toMatch(/^[0-9a-f]{40}$/);
  });
});

it('names the source Secret of a run as a DNS subdomain', () => {
  expect(runSourceSecretName('0753f5c8-4810-48ea-878d-628d685c1626')).toBe(
    'devops-source-0753f5c8481048ea878d628d685c1626',
  );
});
