/// <reference types="@tarojs/taro" />

declare module '*.scss';
/** An image imported by a page: its URL (H5) or package path (weapp). */
declare module '*.png' {
  const path: string;
  export default path;
}

/** Base URL of the BFF, fixed at build time: '' (same origin) in H5, env API_BASE in weapp. */
declare const API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    TARO_ENV: 'weapp' | 'h5';
    API_BASE?: string;
  }
}
