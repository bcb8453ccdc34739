import { PropsWithChildren } from 'react';
import { redirectLabelPathToInstrumentPage } from './services/labelUrl';
import './app.scss';

// A label's QR opens `/i/<code>-<sig>` in a phone browser; the H5 router only knows page
// paths, so rewrite the address before the router reads it.
if (process.env.TARO_ENV === 'h5') redirectLabelPathToInstrumentPage();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
