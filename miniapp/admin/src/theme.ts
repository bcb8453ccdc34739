import type { ThemeConfig } from 'antd';

/**
 * antd's default secondary and tertiary text colours (45 % and 25 % black) and its primary blue
 * (#1677ff, 4.1:1 under white text) fall short of 4.5:1; these tokens give every text colour
 * at least 4.5:1 on white and on the light grey layout background.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    // Hovered and pressed primary buttons and links get darker, not lighter (antd's default hover blue is 3.0:1 under white).
    colorPrimaryHover: '#1d4ed8',
    colorPrimaryActive: '#003eb3',
    colorLink: '#0958d9',
    colorLinkHover: '#1d4ed8',
    colorLinkActive: '#003eb3',
    colorError: '#c41d1d',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    colorInfo: '#0958d9',
    colorText: 'rgba(0, 0, 0, 0.88)',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#737373',
    colorTextDisabled: '#6e6e6e',
    colorBgLayout: '#f5f5f5',
    fontFamily: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
  },
};
