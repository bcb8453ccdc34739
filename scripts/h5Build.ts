/**
 * How `npm start` builds the H5 app. The build is always a production build, whatever NODE_ENV
 * the BFF runs with: a development Taro build of H5 wants hot-reload tooling (react-refresh) that
 * a fresh clone does not install, and the BFF serves static files, not a dev server.
 */
export function h5BuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_ENV: 'production' };
}

/** The command line `npm start` runs to build the H5 app when it is missing. */
export const H5_BUILD_COMMAND = ['npm', ['run', 'build:h5']] as const;

/** The command line `npm start` runs to build the admin workspace (miniapp/admin, Vite) when it is missing. */
export const ADMIN_BUILD_COMMAND = ['npm', ['run', 'build:admin']] as const;
