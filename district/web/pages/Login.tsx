import { useState } from 'react';
import type { FormEvent } from 'react';
import type { LoginRequest, SessionInfo } from '../../dash-api';
import { api, ApiError, setCsrfToken } from '../api';
import { useTranslator } from '../language';

export function Login({ onLogin }: { onLogin: (session: SessionInfo) => void }) {
  const { t } = useTranslator();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.post<SessionInfo>('/api/dash/login', { username, password } satisfies LoginRequest).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        onLogin(session);
      },
      // A wrong password is 401 (400: a field missing); 429 a lockout; anything else, no answer.
      (error: unknown) =>
        setFailure(
          error instanceof ApiError && (error.status === 401 || error.status === 400)
            ? t('loginFailed')
            : error instanceof ApiError && error.status === 429
              ? t('loginTryLater')
              : t('serverUnreachable'),
        ),
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
      {failure === null ? null : <p className="error">{failure}</p>}
      <button type="submit">{t('login')}</button>
      <p>
        <a href="/publik">{t('navPublic')}</a>
      </p>
    </form>
  );
}
