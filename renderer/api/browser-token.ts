// Browser mode receives a one-time token in the URL fragment. It moves to sessionStorage at
// once so it does not linger in the address bar, history or screenshots.
const STORAGE_KEY = 'custos.token';
const HASH_PATTERN = /^#token=([^&]+)/;

export function takeBrowserToken(): string | null {
  const match = HASH_PATTERN.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(STORAGE_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(STORAGE_KEY);
}
