import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

jest.setTimeout(30_000);

const MAIN = path.join(__dirname, '__testUtils__', 'processGroupMain.ts');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('runProcessGroup', () => {
  it("ends a task's processes when the backend that started them dies by SIGKILL", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-group-'));
    const marker = path.join(dir, 'written-after-the-backend-died');
    // The backend as a real process: killed, it has no chance to stop its tasks itself.
    const backend = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        MAIN,
        // Writes no output after its first line, so no broken pipe would stop it either.
        `echo "task $$"; sleep 60 & echo "child $!"; sleep 2; echo late > ${marker}; wait`,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    let output = '';
    backend.stdout.setEncoding('utf8');
    const started = new Promise<number[]>(resolve =>
      backend.stdout.on('data', (chunk: string) => {
        output += chunk;
        const pids = /task (\d+)\nchild (\d+)\n/.exec(output);
        if (pids) resolve([Number(pids[1]), Number(pids[2])]);
      }),
    );
    const pids = await started;
    expect(pids.every(isAlive)).toBe(true);

    backend.kill('SIGKILL');

    for (let waited = 0; pids.some(isAlive) && waited < 5000; waited += 50) {
      await sleep(50);
    }
    expect(pids.filter(isAlive)).toEqual([]);
    // Past the moment the script would have gone on: it did not.
    await sleep(2500);
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
