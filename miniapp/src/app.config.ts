export default defineAppConfig({
  pages: ['pages/index/index', 'pages/instrument/index'],
  window: {
    navigationBarTitleText: '诚信计量公示',
    navigationBarBackgroundColor: '#1a7f4b',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f6f4',
    backgroundTextStyle: 'light',
  },
});
