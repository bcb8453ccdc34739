/**
 * Pages and navigation. The public pages live in the main package (WeChat loads it first; the
 * budget test keeps it ≤ 1 MB). Owner and regulator pages will live in subpackages of their own
 * (`subPackages: [{ root: 'packages/owner', pages: [...] }, { root: 'packages/regulator', ... }]`),
 * loaded only when someone opens them.
 */
export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/search/index',
    'pages/nearby/index',
    'pages/mine/index',
    'pages/instrument/index',
    'pages/complaint/index',
    'pages/my-complaints/index',
    'pages/complaint-detail/index',
    'pages/my-likes/index',
    'pages/business/index',
    'pages/articles/index',
    'pages/article/index',
  ],
  tabBar: {
    color: '#4f5b55',
    selectedColor: '#1a7f4b',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/search/index', text: '搜索' },
      { pagePath: 'pages/nearby/index', text: '附近' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
  permission: {
    'scope.userLocation': { desc: '用于查找您附近的诚信经营者' },
  },
  requiredPrivateInfos: ['getLocation'],
  window: {
    navigationBarTitleText: '诚信计量公示',
    navigationBarBackgroundColor: '#1a7f4b',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f6f4',
    backgroundTextStyle: 'light',
  },
});
