import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { App } from '../state/app';
import { useStore } from './hooks';

export const AppContext = createContext<App | null>(null);

/** The app, re-rendering the caller when the language changes. */
export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('no App in context');
  useStore(app.i18n.locale);
  return app;
}
