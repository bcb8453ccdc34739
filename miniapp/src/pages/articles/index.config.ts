export default definePageConfig({ navigationBarTitleText: '计量知识' });
