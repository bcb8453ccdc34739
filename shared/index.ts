/** The project's pure domain code, shared by the BFF and the mini-program. */
export * from './api';
export * from './catalogue';
export * from './creditCode';
export * from './instrumentCode';
export * from './regions';
export * from './scan';
export * from './schemas';
export * from './verification';
