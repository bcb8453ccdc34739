// babel-preset-taro compiles the pages and the project's shared/ for both weapp and h5.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
