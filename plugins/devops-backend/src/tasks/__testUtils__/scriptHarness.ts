import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the shell scripts of the helm-based planners on this machine, with a PATH that
 * holds only the tools named (so "the image has no curl" can be played) and fake
 * programs standing in for helm.
 */
export class ScriptHarness {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-task-script-'));
  readonly bin = path.join(this.root, 'bin');

  constructor(tools: string[], fakes: Record<string, string>) {
    fs.mkdirSync(this.bin);
    for (const tool of tools) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`], {
        encoding: 'utf8',
      }).trim();
      fs.symlinkSync(real, path.join(this.bin, tool));
    }
    for (const [name, script] of Object.entries(fakes)) {
      fs.writeFileSync(path.join(this.bin, name), `#!/bin/sh\n${script}`, {
        mode: 0o755,
      });
    }
  }

  /** A folder in the harness, created with the files given. */
  dir(name: string, files: Record<string, string> = {}): string {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
  }

  /** Runs a container command (`sh -c <script> ...`) with only the given environment. */
  run(
    command: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.bin, command[0]), command.slice(1), {
        env: { ...env, PATH: this.bin },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => (stderr += chunk));
      child.on('error', reject);
      child.on('close', code => resolve({ code, stdout, stderr }));
    });
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
