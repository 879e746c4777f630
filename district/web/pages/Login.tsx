import { useState } from 'react';
import type { FormEvent } from 'react';
import type { LoginRequest, SessionInfo } from '../../dash-api';
import { api, setCsrfToken } from '../api';
import { useTranslator } from '../language';

export function Login({ onLogin }: { onLogin: (session: SessionInfo) => void }) {
  const { t } = useTranslator();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failed, setFailed] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.post<SessionInfo>('/api/dash/login', { username, password } satisfies LoginRequest).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        onLogin(session);
      },
      () => setFailed(true),
    );
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>{t('appName')}</h1>
      <label>
        {t('username')}
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      {failed ? <p className="error">{t('loginFailed')}</p> : null}
      <button type="submit">{t('login')}</button>
      <p>
        <a href="/publik">{t('navPublic')}</a>
      </p>
    </form>
  );
}
