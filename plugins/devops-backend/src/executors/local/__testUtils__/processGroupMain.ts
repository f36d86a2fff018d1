/*
 * A process that runs one script as a task's process group and then waits, as the backend
 * does, so that a test can kill it (SIGKILL) the way a crash or `kubectl delete pod
 * --force` kills a backend. Run by processGroup.test.ts with Backstage's node transform.
 */
import { runProcessGroup } from '../processGroup';

const [script] = process.argv.slice(2);
void runProcessGroup({
  command: 'sh',
  args: ['-c', script],
  cwd: process.cwd(),
  env: { PATH: process.env.PATH },
  signal: new AbortController().signal,
  killGracePeriodMs: 1000,
  onOutput: chunk => process.stdout.write(chunk),
  onNotice: () => {},
});
