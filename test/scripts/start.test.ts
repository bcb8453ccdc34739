import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm start` as a newcomer runs it: the whole product from one command, demo data on the first
 * start only, data kept across restarts, and Ctrl-C stopping every child.
 */
const root = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-'));

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  mongoPort: number;
}

function start(): Promise<Started> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URI: '', WECHAT_API_BASE: '', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /已启动: (http:\/\/\S+)/.exec(out)?.[1];
      const mongo = /mongodb:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (url && out.includes('按 Ctrl-C 停止')) {
        clearInterval(timer);
        resolve({ child, output: () => out, url, mongoPort: Number(mongo) });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited early (${code}):\n${out}`));
    });
  });
}

const stop = (s: Started) =>
  new Promise<number | null>((resolve) => {
    s.child.once('exit', (code) => resolve(code));
    s.child.kill('SIGINT');
  });

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

// MONGODB_URI and WECHAT_API_BASE are emptied above: this is about the embedded defaults.
describe('npm start', () => {
  let first: Started;

  it('brings up the product with demo data, the H5 app, the admin workspace and the demo logins', async () => {
    first = await start();
    expect(first.output()).toContain('已写入演示数据: 300 家经营者');
    expect(first.output()).toContain('不可用于生产环境');
    expect(first.output()).toMatch(/regulator\s+jinan \/ demo-jinan-2026/);
    const health = await fetch(`${first.url}/api/v1/health`).then((r) => r.json());
    expect(health).toMatchObject({ status: 'ready', db: { ok: true } });
    const page = await fetch(`${first.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="app"');
    expect(first.output()).toContain(`监管工作台: ${first.url}/admin/`);
    const workspace = await fetch(`${first.url}/admin/dashboard`);
    expect(workspace.headers.get('content-type')).toContain('text/html');
    expect(await workspace.text()).toContain('<div id="root"');
  }, 240_000);

  it('stops every child on Ctrl-C', async () => {
    expect(await portOpen(first.mongoPort)).toBe(true);
    expect(await stop(first)).toBe(0);
    expect(await portOpen(first.mongoPort)).toBe(false);
  }, 30_000);

  it('keeps the data across a restart and does not seed twice', async () => {
    const second = await start();
    try {
      expect(second.output()).not.toContain('已写入演示数据');
      const login = await fetch(`${second.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'jinan', password: 'demo-jinan-2026' }),
      }).then((r) => r.json());
      const list = await fetch(`${second.url}/api/v1/admin/businesses?pageSize=1`, { headers: { authorization: `Bearer ${login.token}` } }).then((r) => r.json());
      expect(list.total).toBe(300);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 120_000);
});
