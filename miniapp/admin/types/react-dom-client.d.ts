// @types/react-dom is not installed (the Taro app never imports react-dom itself); this is the
// one entry point the workspace uses. Replace with @types/react-dom once it is a dependency.
declare module 'react-dom/client' {
  import type { ReactNode } from 'react';
  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element | DocumentFragment): Root;
}
