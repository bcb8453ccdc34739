/**
 * Size budget of the real weapp build. WeChat refuses to upload a package over 2 MB; the main
 * package (everything outside the subpackage roots declared in app.json) is what every visitor
 * downloads before the first page shows, so it is held to 1 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { distDir, ensureBuild } from '../miniapp/helpers/build';

const MAIN_PACKAGE_BUDGET_BYTES = 1024 * 1024;

interface AppJson {
  pages: string[];
  subPackages?: Array<{ root: string }>;
  subpackages?: Array<{ root: string }>;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Bytes of each package of the build: 'main' and one entry per subpackage root. */
function packageSizes(root: string): Map<string, number> {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as AppJson;
  const subRoots = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((sub) => sub.root.replace(/\/+$/, ''));
  const sizes = new Map<string, number>([['main', 0], ...subRoots.map((r) => [r, 0] as [string, number])]);
  for (const file of filesUnder(root)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const owner = subRoots.find((r) => relative === r || relative.startsWith(`${r}/`)) ?? 'main';
    sizes.set(owner, (sizes.get(owner) ?? 0) + fs.statSync(file).size);
  }
  return sizes;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

let sizes: Map<string, number>;

beforeAll(async () => {
  await ensureBuild('weapp');
  sizes = packageSizes(distDir('weapp'));
  // The figure for the closing note: one line per package.
  console.log(`weapp package sizes: ${[...sizes].map(([name, bytes]) => `${name} ${kib(bytes)} (${bytes} B)`).join(', ')}`);
}, 300_000);

test('the weapp main package is at most 1 MB', () => {
  const main = sizes.get('main') ?? 0;
  expect(main).toBeGreaterThan(0);
  expect(main).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET_BYTES);
});

