// babel-preset-taro compiles the pages and the project's shared/ for both weapp and h5.
// hot: false — the H5 app is built and served as static files, never from a hot-reloading dev
// server, so a build under NODE_ENV=development must not need react-refresh (not installed).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', hot: false }]],
};
