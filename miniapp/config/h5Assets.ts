import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Post-build steps of the H5 app, run by webpack after it wrote the output (every `taro build
 * --type h5`, whoever starts it):
 *  - `page-assets.json`: for each page, the script and style files its chunk group needs, so the
 *    BFF can preload the instrument page's code in the HTML a label URL answers with
 *    (bff/src/middleware/h5.ts) instead of the browser discovering it only after app.js ran;
 *  - `<file>.br` and `<file>.gz` next to each script, style sheet and SVG of at least 1 KiB, made
 *    once at maximum compression, which koa-static serves to browsers that accept them.
 */
export const PAGE_ASSETS_FILE = 'page-assets.json';

export interface PageAssets {
  [page: string]: { js: string[]; css: string[] };
}

const PRECOMPRESS = /\.(js|css|svg|json)$/;
const MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The page a module is, from its source path: `.../src/pages/instrument/index.tsx` → `pages/instrument/index`. */
export function pageOfModule(resource: string | null | undefined): string | null {
  const match = /[\\/]src[\\/]pages[\\/]([^\\/]+)[\\/]index\.[jt]sx?$/.exec(resource ?? '');
  return match ? `pages/${match[1]}/index` : null;
}

export async function precompressFile(file: string): Promise<void> {
  const data = await fs.promises.readFile(file);
  if (data.length < MIN_BYTES) return;
  const [br, gz] = await Promise.all([
    brotli(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
    gzip(data, { level: 9 }),
  ]);
  if (br.length < data.length) await fs.promises.writeFile(`${file}.br`, br);
  if (gz.length < data.length) await fs.promises.writeFile(`${file}.gz`, gz);
}

/* The webpack types are structural here: Taro's config may not import webpack's own. */
interface ChunkLike {
  groupsIterable: Iterable<{ getFiles(): string[] }>;
}
interface CompilationLike {
  chunks: Iterable<ChunkLike>;
  chunkGraph: { getChunkModulesIterable(chunk: ChunkLike): Iterable<{ nameForCondition(): string | null }> };
  getAssets(): Array<{ name: string }>;
  outputOptions: { publicPath?: unknown };
}
interface CompilerLike {
  outputPath: string;
  hooks: { afterEmit: { tapPromise(name: string, fn: (compilation: CompilationLike) => Promise<void>): void } };
}

export class H5AssetsPlugin {
  apply(compiler: CompilerLike): void {
    compiler.hooks.afterEmit.tapPromise('H5AssetsPlugin', async (compilation) => {
      const publicPath = typeof compilation.outputOptions.publicPath === 'string' ? compilation.outputOptions.publicPath : '/';
      const pages: PageAssets = {};
      for (const chunk of compilation.chunks) {
        for (const module of compilation.chunkGraph.getChunkModulesIterable(chunk)) {
          const page = pageOfModule(module.nameForCondition());
          if (!page) continue;
          const files = new Set<string>();
          for (const group of chunk.groupsIterable) for (const file of group.getFiles()) files.add(file);
          const entry = (pages[page] ??= { js: [], css: [] });
          for (const file of [...files].sort()) {
            const href = `${publicPath}${file}`;
            if (file.endsWith('.js') && !entry.js.includes(href)) entry.js.push(href);
            if (file.endsWith('.css') && !entry.css.includes(href)) entry.css.push(href);
          }
        }
      }
      await fs.promises.writeFile(path.join(compiler.outputPath, PAGE_ASSETS_FILE), `${JSON.stringify(pages, null, 2)}\n`);
      const assets = compilation.getAssets().map((a) => a.name).filter((name) => PRECOMPRESS.test(name));
      await Promise.all(assets.map((name) => precompressFile(path.join(compiler.outputPath, name))));
    });
  }
}
