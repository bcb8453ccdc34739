/**
 * `npm start`: the whole product on one machine. Builds the H5 app if missing, starts the embedded
 * MongoDB in its own process (unless MONGODB_URI is set) and mock WeChat (unless WECHAT_API_BASE
 * is set), seeds demo data into an empty database, and serves the BFF. Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { HealthResponse } from '@shared/api';
import { loadConfig, ConfigError } from '@bff/config';
import { startServer, type RunningServer } from '@bff/server';
import { startMockWechat, type MockWechat } from '@mock/wechat/server';
import { DEMO_ACCOUNTS, seedContent, seedDemo, type SeedResult } from './demo';
import { ADMIN_BUILD_COMMAND, H5_BUILD_COMMAND, h5BuildEnv } from './h5Build';

const root = path.resolve(__dirname, '..');
const tsxCli = require.resolve('tsx/cli');

async function main() {
  process.chdir(root);
  const stoppers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止…');
    for (const stop of stoppers.reverse()) await stop().catch((err) => console.error(err));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const config = loadConfig(process.env);
    ensureH5Built(config.h5Dir);
    ensureAdminBuilt(config.adminDir);
    let embedded = false;
    if (!config.mongodbUri) {
      const mongo = await startEmbeddedMongoProcess(path.join(config.dataDir, 'db'));
      stoppers.push(mongo.stop);
      config.mongodbUri = mongo.uri;
      embedded = true;
    }
    let wechat: MockWechat | undefined;
    if (!config.wechat.apiBase) {
      wechat = await startMockWechat({ appId: config.wechat.appId, secret: config.wechat.secret });
      stoppers.push(wechat.stop);
      config.wechat.apiBase = wechat.url;
    }
    let seeded: SeedResult | undefined;
    const server: RunningServer = await startServer(config, {
      // The shipped articles always, demo data and logins never in production; both before /api/v1/health says ready.
      startup: async (deps) => {
        if (config.env === 'production') await seedContent(deps.models);
        else seeded = await seedDemo(deps.models);
      },
    });
    stoppers.push(server.close);
    await server.ready;
    await waitUntilReady(server.url);
    printBanner({ url: server.url, dataDir: config.dataDir, embedded, wechat: Boolean(wechat), seeded, adminPassword: server.generatedAdminPassword, admin: config.admin.username });
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    await stopAll(1);
  }
}

/** The URL is printed only once the server itself says ready, as a load balancer would see it. */
async function waitUntilReady(url: string, attempts = 300) {
  let last = 'no answer';
  for (let i = 0; i < attempts; i += 1) {
    const res = await fetch(`${url}/api/v1/health`).catch(() => undefined);
    const body = res ? ((await res.json().catch(() => ({}))) as Partial<HealthResponse>) : undefined;
    if (res?.status === 200 && body?.status === 'ready') return;
    last = res ? `${res.status} ${body?.status ?? ''}` : 'no answer';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`服务未就绪（/api/v1/health: ${last}）`);
}

function ensureH5Built(h5Dir: string) {
  if (fs.existsSync(path.join(h5Dir, 'index.html'))) return;
  console.log('首次启动：正在构建 H5 应用（npm run build:h5）…');
  const [command, args] = H5_BUILD_COMMAND;
  const res = spawnSync(command, [...args], { stdio: 'inherit', cwd: root, env: h5BuildEnv(process.env) });
  if (res.status !== 0) throw new Error('H5 build failed');
}

/** Builds the admin workspace when ADMIN_DIR holds no build yet, like the H5 app. */
function ensureAdminBuilt(adminDir: string) {
  if (fs.existsSync(path.join(adminDir, 'index.html'))) return;
  console.log('首次启动：正在构建管理工作台（npm run build:admin）…');
  const [command, args] = ADMIN_BUILD_COMMAND;
  const res = spawnSync(command, [...args], { stdio: 'inherit', cwd: root, env: h5BuildEnv(process.env) });
  if (res.status !== 0) throw new Error('admin workspace build failed');
}

/** The embedded server runs in its own process, so a long query never stalls the BFF. */
function startEmbeddedMongoProcess(dbPath: string): Promise<{ uri: string; stop: () => Promise<void> }> {
  fs.mkdirSync(dbPath, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [tsxCli, 'mock/mongo/cli.ts', '--port', '0', '--dbpath', dbPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /mongodb:\/\/[^\s]+/.exec(buffered);
      if (m) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.pipe(process.stdout);
        process.stdout.write(buffered);
        resolve({ uri: m[0], stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`embedded MongoDB exited (code ${code}) before it was ready`)));
  });
}

function printBanner(o: { url: string; dataDir: string; embedded: boolean; wechat: boolean; seeded?: { seeded: boolean; businesses: number; instruments: number }; adminPassword?: string; admin: string }) {
  const lines = [
    '',
    `诚信计量公示 已启动: ${o.url}`,
    `  公众端 (H5): ${o.url}/`,
    `  监管工作台: ${o.url}/admin/`,
    `  接口: ${o.url}/api/v1/health`,
  ];
  if (o.seeded?.seeded) lines.push(`  已写入演示数据: ${o.seeded.businesses} 家经营者, ${o.seeded.instruments} 台计量器具`);
  lines.push('  演示账号 (仅开发环境):');
  for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.role.padEnd(9)} ${a.username} / ${a.password}`);
  if (o.adminPassword) lines.push(`  管理员 ${o.admin} 的初始密码（只显示这一次）: ${o.adminPassword}`);
  if (o.embedded) lines.push(`  注意: 使用内嵌的开发用 MongoDB（数据在 ${o.dataDir}），不可用于生产环境；生产请设置 MONGODB_URI。`);
  if (o.wechat) lines.push('  注意: 使用模拟微信接口（mock/wechat）；生产请设置 WECHAT_API_BASE 等。');
  lines.push('  按 Ctrl-C 停止。', '');
  console.log(lines.join('\n'));
}

void main();
