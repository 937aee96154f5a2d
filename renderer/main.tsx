import '@fontsource/atkinson-hyperlegible/400.css';
import '@fontsource/atkinson-hyperlegible/700.css';
import 'react-simple-keyboard/build/css/index.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectKiosk } from './api/kiosk';
import { App } from './App';
import { FlowContext } from './flow/context';
import { createFlowStore } from './flow/store';
import { initI18n } from './i18n';

const store = createFlowStore();
await initI18n(store.getState().language);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FlowContext value={store}>
      <App />
    </FlowContext>
  </StrictMode>,
);
await store.getState().actions.connect(connectKiosk());
