export default definePageConfig({
  navigationBarTitleText: '计量器具',
});
