import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import { H5AssetsPlugin } from './h5Assets';

/** The repository's pure-TypeScript domain folder, imported from pages as `@shared/...`. */
const sharedDir = path.resolve(__dirname, '..', '..', 'shared');

/** The one value that opts a weapp build into a BFF on this machine (tests, WeChat DevTools). */
export const LOCAL_API_BASE = 'http://127.0.0.1:3000';

export class ApiBaseError extends Error {
  name = 'ApiBaseError';
}

const HOW_TO_SET =
  'Set it to the BFF origin the phones will call, e.g. `API_BASE=https://jl.example.cn npm run build:weapp` ' +
  `(or, for WeChat DevTools and tests on this machine only, API_BASE=${LOCAL_API_BASE}). ` +
  '构建微信小程序必须设置 API_BASE（手机将访问的 BFF 地址，须为 https），本机调试请显式设置 ' +
  `API_BASE=${LOCAL_API_BASE}。`;

/**
 * The BFF origin compiled into the app. The H5 build is served by the BFF itself, so its API is
 * same-origin (''). A mini-program runs inside WeChat on a phone and must be told where the BFF
 * lives: a weapp build without API_BASE fails here rather than silently pointing every phone at
 * 127.0.0.1. `warn` receives what deserves a loud line in the build output (plain http).
 */
export function apiBaseFor(taroEnv: string | undefined, env: Record<string, string | undefined>, warn: (line: string) => void = console.warn): string {
  if (!taroEnv || taroEnv === 'h5') return '';
  const raw = (env.API_BASE ?? '').trim();
  if (!raw) throw new ApiBaseError(`API_BASE is not set: a ${taroEnv} build needs it. ${HOW_TO_SET}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiBaseError(`API_BASE=${raw} is not an absolute URL. ${HOW_TO_SET}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiBaseError(`API_BASE=${raw} must be an http(s) URL. ${HOW_TO_SET}`);
  if (url.search || url.hash || url.username || url.password) throw new ApiBaseError(`API_BASE=${raw} must be an origin (optionally with a path), without query, fragment or credentials. ${HOW_TO_SET}`);
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (url.protocol === 'http:') {
    warn(
      `\n⚠️  API_BASE=${base} is plain http: this ${taroEnv} build only works in WeChat DevTools with domain checks off, ` +
        'never on a phone (WeChat requires https and a registered request domain). 此构建仅供本机调试，不可发布。\n',
    );
  }
  return base;
}

export default defineConfig<'webpack5'>(() => ({
  projectName: 'chengxin-jiliang',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  alias: { '@shared': sharedDir },
  defineConstants: { API_BASE: JSON.stringify(apiBaseFor(process.env.TARO_ENV, process.env)) },
  mini: {
    compile: { include: [sharedDir] },
    postcss: { pxtransform: { enable: true, config: {} } },
  },
  h5: {
    publicPath: '/',
    staticDirectory: 'static',
    router: { mode: 'browser' },
    compile: { include: [sharedDir] },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
    miniCssExtractPluginOption: {
      ignoreOrder: true,
      filename: 'css/[name].[contenthash:8].css',
      chunkFilename: 'css/[name].[contenthash:8].css',
    },
    postcss: { autoprefixer: { enable: true, config: {} } },
    // No fast refresh: a build under NODE_ENV=development would otherwise need
    // @pmmmwh/react-refresh-webpack-plugin, which is not installed (see babel.config.js).
    devServer: { hot: false },
    // A phone page of ~360 KiB is expected here; webpack's desktop-oriented size hint is noise.
    // After each H5 build: precompressed .br/.gz next to the assets, and which files each page needs.
    webpackChain(chain) {
      chain.performance.hints(false);
      chain.plugin('h5-assets').use(H5AssetsPlugin);
    },
  },
}));
