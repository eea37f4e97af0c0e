import { useState } from 'preact/hooks';
import { useApp } from './context';

export function Login() {
  const app = useApp();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(await app.login(login, password));
    setBusy(false);
  };
  return (
    <main class="login">
      <form onSubmit={submit} data-testid="login-form">
        <h1>{app.t('app.title')}</h1>
        <h2>{app.t('login.title')}</h2>
        <label>
          {app.t('login.login')}
          <input name="login" autocomplete="username" value={login} onInput={(e) => setLogin((e.target as HTMLInputElement).value)} required />
        </label>
        <label>
          {app.t('login.password')}
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          {app.t('login.submit')}
        </button>
        <button type="button" class="ghost small" onClick={() => app.i18n.toggle()}>
          {app.t('menu.language')}
        </button>
      </form>
    </main>
  );
}
