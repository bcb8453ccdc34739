import path from 'node:path';
import { defineConfig } from '@tarojs/cli';

/** The repository's pure-TypeScript domain folder, imported from pages as `@shared/...`. */
const sharedDir = path.resolve(__dirname, '..', '..', 'shared');

const DEFAULT_WEAPP_API_BASE = 'http://127.0.0.1:3000';

/**
 * The H5 build is served by the BFF itself, so its API is same-origin (''); the mini-program
 * runs inside WeChat and must be told where the BFF lives when it is built.
 */
function apiBaseFor(taroEnv: string | undefined): string {
  if (taroEnv === 'h5') return '';
  return process.env.API_BASE ?? DEFAULT_WEAPP_API_BASE;
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
  defineConstants: { API_BASE: JSON.stringify(apiBaseFor(process.env.TARO_ENV)) },
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
    webpackChain(chain) {
      chain.performance.hints(false);
    },
  },
}));
