/**
 * The BFF's layers, read from the import statements: a route file may use services, policies,
 * presenters and shared/, but never another route's file; services never reach into routes.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../bff/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The bff/src-relative files a source file imports by relative path. */
function localImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => path.relative(SRC, path.resolve(path.dirname(file), m[1])));
}

const files = sourceFiles(SRC).map((file) => ({ name: path.relative(SRC, file), imports: localImports(file) }));
/** routes/<resource>/..., not the shared route plumbing (route.ts, common.ts, index.ts). */
const resourceOf = (name: string) => /^routes\/([^/]+)\//.exec(name)?.[1];

it('finds the route and service files it checks', () => {
  expect(files.filter((f) => resourceOf(f.name)).length).toBeGreaterThan(5);
  expect(files.filter((f) => f.name.startsWith('services/')).length).toBeGreaterThan(5);
});

it('no route imports another resource\'s route files', () => {
  const crossing = files.flatMap((f) =>
    f.imports.filter((i) => resourceOf(f.name) && resourceOf(i) && resourceOf(i) !== resourceOf(f.name)).map((i) => `${f.name} → ${i}`),
  );
  expect(crossing).toEqual([]);
});

it('no service, policy, presenter or model imports a route', () => {
  const upward = files
    .filter((f) => /^(services|policies|presenters|models)\//.test(f.name))
    .flatMap((f) => f.imports.filter((i) => i.startsWith('routes/')).map((i) => `${f.name} → ${i}`));
  expect(upward).toEqual([]);
});
