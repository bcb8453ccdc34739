/**
 * The admin workspace's JavaScript budget: the login page loads under 300 KB (gzip), and every
 * other screen is its own chunk, fetched only when opened. Measured on the real production build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { distDir, ensureBuild } from '../miniapp/helpers/build';

const LOGIN_BUDGET_BYTES = 300 * 1024;
const dist = distDir('admin');

beforeAll(async () => {
  await ensureBuild('admin');
}, 300_000);

/** `/admin/assets/x.js` (as index.html names it) → the file in the build. */
const fileOf = (href: string) => path.join(dist, href.replace(/^\/admin\//, ''));

/** The relative modules a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
export function staticImports(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/\bimport\s*(?:[^"'()]*?\bfrom\s*)?["'](\.\/[^"']+\.js)["']/g)) found.add(m[1]);
  for (const m of source.matchAll(/\bexport\s*[^"'()]*?\bfrom\s*["'](\.\/[^"']+\.js)["']/g)) found.add(m[1]);
  return [...found];
}

/** Every JS file a browser fetches to show index.html before any lazy screen: the entry, its modulepreloads and their static imports. */
function loginPageScripts(): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const roots = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ].map(fileOf);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const rel of staticImports(fs.readFileSync(file, 'utf8'))) visit(path.resolve(path.dirname(file), rel));
  };
  roots.forEach(visit);
  return [...seen];
}

const gzipSize = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;

describe('the admin bundle', () => {
  test('the login page loads under 300 KB of JavaScript (gzip)', () => {
    const scripts = loginPageScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const total = scripts.reduce((sum, f) => sum + gzipSize(f), 0);
    console.log(`login page: ${scripts.length} script(s), ${(total / 1024).toFixed(1)} KB gzip: ${scripts.map((f) => path.basename(f)).join(', ')}`);
    expect(total).toBeLessThan(LOGIN_BUDGET_BYTES);
  });

  test('each screen is a chunk of its own that the login page does not load', () => {
    const assets = fs.readdirSync(path.join(dist, 'assets'));
    const loaded = new Set(loginPageScripts().map((f) => path.basename(f)));
    for (const screen of ['WorkspaceLayout', 'DashboardPage', 'BusinessesPage', 'InstrumentsPage', 'UsersPage', 'ApiKeysPage']) {
      const chunk = assets.find((a) => a.startsWith(`${screen}-`) && a.endsWith('.js'));
      expect({ screen, chunk: chunk !== undefined }).toEqual({ screen, chunk: true });
      expect({ screen, loadedByLogin: loaded.has(chunk!) }).toEqual({ screen, loadedByLogin: false });
    }
  });

  test('asset names carry a content hash', () => {
    const scripts = fs.readdirSync(path.join(dist, 'assets')).filter((a) => a.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(3);
    for (const name of scripts) expect(name).toMatch(/-[A-Za-z0-9_-]{8}\.js$/);
  });

  test('finds static imports but not dynamic ones', () => {
    expect(staticImports('import{a as b}from"./x-1.js";import"./y-2.js";const z=()=>import("./z-3.js");export{c}from"./w-4.js"')).toEqual(['./x-1.js', './y-2.js', './w-4.js']);
  });
});
