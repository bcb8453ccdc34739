import { PropsWithChildren } from 'react';
import { prefetchScan } from './services/api/scan';
import { instrumentPageScanParam, redirectLabelPathToInstrumentPage } from './services/labelUrl';
import './app.scss';

// A label's QR opens `/i/<code>-<sig>` in a phone browser; the H5 router only knows page
// paths, so rewrite the address before the router reads it. Then ask for the verdict at once,
// before React mounts and while the instrument page's code loads: the page takes this answer.
if (process.env.TARO_ENV === 'h5') {
  redirectLabelPathToInstrumentPage();
  const q = instrumentPageScanParam();
  if (q) prefetchScan(q);
}

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
