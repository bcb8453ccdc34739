export default definePageConfig({
  navigationBarTitleText: '诚信计量公示',
});
