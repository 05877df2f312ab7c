import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SUPPORT_EMAIL, SUPPORT_PASSWORD } from './tests/helpers';

// Starts target/release/server on 127.0.0.1:0 with a fresh SQLite database and data dir, waits
// for the address it prints, and hands it to the tests as BASE_URL. A support login is created
// first with the `create-user` command.
export default async function globalSetup() {
  const root = resolve(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'atsb-e2e-'));
  const bin = process.env.ATSB_SERVER_BIN ?? join(root, 'target/release/server');
  const env = {
    ...process.env,
    LEPTOS_SITE_ADDR: '127.0.0.1:0',
    LEPTOS_SITE_ROOT: join(root, 'target/site'),
    ATSB_DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}?mode=rwc`,
    ATSB_DATA_DIR: dir,
    ATSB_SYNC_INTERVAL_SECS: '3600',
    // Health changes show within a second (the hold is unit-tested; here it would only wait).
    ATSB_HEALTH_EVERY_SECS: '1',
    ATSB_HEALTH_HOLD_SECS: '0',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
  };
  // Support staff exist only through the command line: make one, as an operator would.
  const made = spawnSync(bin, ['create-user', '--support', '--email', SUPPORT_EMAIL, '--name', 'Sam Support'], {
    cwd: root, env, input: `${SUPPORT_PASSWORD}\n`, encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`create-user failed: ${made.stdout}${made.stderr}`);
  const server = spawn(bin, [], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const baseURL = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('server did not start within 60 s')), 60_000);
    let buffered = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = buffered.match(/running on (http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    server.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  process.env.BASE_URL = baseURL;
  return async () => {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
}
