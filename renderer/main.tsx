import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApiClient } from './api/client';
import { App } from './app/App';
import { setupI18n } from './i18n/setup';
import './styles.css';

// Take the browser-mode token out of the address bar before anything renders.
const client = connectApiClient();

void setupI18n().then(() => {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  );
});
