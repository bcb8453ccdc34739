export default definePageConfig({ navigationBarTitleText: '经营者' });
