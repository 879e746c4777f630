// The admin's form for escalation letters: letterhead (with an optional logo), number pattern,
// the two recipients, the signatory and the copies. A refusal shows each bad field's own message
// beside it (the server names every field it refuses).
// First: this page builds dash-api.ts's schemas (zod-without-eval.ts).
import '../zod-without-eval';
import { useEffect, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import type { LetterSettings, LetterSettingsView } from '../../dash-api';
import { LETTER_LOGO_MAX_BYTES } from '../../dash-api';
import { api, ApiError, messageOf } from '../api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

type TextField = Exclude<keyof LetterSettings, 'copies' | 'logo'>;
const TEXT_FIELDS: TextField[] = [
  'authority',
  'agency',
  'address',
  'phone',
  'email',
  'place',
  'numberPattern',
  'provinceRecipient',
  'provincePlace',
  'directorateRecipient',
  'directoratePlace',
  'signerTitle',
  'signerName',
  'signerRank',
  'signerNip',
];

export function LetterSettingsPage() {
  const { t, time } = useTranslator();
  const saved = useApi<LetterSettingsView>('/api/dash/escalation-letters/settings');
  const [form, setForm] = useState<LetterSettings | null>(null);
  const [copies, setCopies] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (saved.data !== null) {
      setForm(saved.data.settings);
      setCopies(saved.data.settings.copies.join('\n'));
    }
  }, [saved.data]);
  if (saved.data === null || form === null) {
    return <Pending resource={saved} />;
  }
  const set = (name: keyof LetterSettings, value: string) => {
    setForm({ ...form, [name]: value });
    setDone(false);
  };
  const readLogo = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file === undefined) {
      return;
    }
    // Refused here: the server's body limit would refuse a big file without naming the logo.
    if (file.size > LETTER_LOGO_MAX_BYTES) {
      setErrors({ ...errors, logo: t('letterLogoTooBig', { size: Math.ceil(file.size / 1024) }) });
      setDone(false);
      event.target.value = '';
      return;
    }
    setErrors(Object.fromEntries(Object.entries(errors).filter(([name]) => name !== 'logo')));
    const reader = new FileReader();
    reader.onload = () => set('logo', String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.readAsDataURL(file);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = copies
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    api.post<LetterSettingsView>('/api/dash/escalation-letters/settings', { ...form, copies: lines }).then(
      () => {
        setErrors({});
        setFailure(null);
        setDone(true);
        saved.reload();
      },
      (error: unknown) => {
        setDone(false);
        setErrors(error instanceof ApiError ? error.fields : {});
        setFailure(messageOf(error));
      },
    );
  };
  const copyErrors = Object.entries(errors).filter(
    ([name]) => name === 'copies' || name.startsWith('copies.'),
  );
  return (
    <section className="letter-settings">
      <h2>{t('letterSettingsTitle')}</h2>
      <p className="muted">
        {t('letterSettingsIntro')}
        {saved.data.updatedAt !== null
          ? ` (${time(saved.data.updatedAt)}, ${saved.data.updatedBy ?? ''})`
          : ''}
      </p>
      <form onSubmit={submit} noValidate>
        {TEXT_FIELDS.map((name) => (
          <label key={name} className="field">
            {t(`letterField.${name}`)}
            <input
              name={name}
              value={form[name]}
              aria-invalid={errors[name] !== undefined}
              onChange={(event) => set(name, event.target.value)}
            />
            {errors[name] !== undefined ? <span className="error field-error">{errors[name]}</span> : null}
          </label>
        ))}
        <label className="field">
          {t('letterField.logo')}
          <input
            name="logo"
            type="file"
            accept="image/png,image/jpeg"
            aria-invalid={errors.logo !== undefined}
            onChange={readLogo}
          />
          {form.logo !== '' ? (
            <>
              <img className="logo-preview" alt="" src={`data:image/png;base64,${form.logo}`} height={48} />
              <button type="button" onClick={() => set('logo', '')}>
                {t('letterRemoveLogo')}
              </button>
            </>
          ) : null}
          {errors.logo !== undefined ? <span className="error field-error">{errors.logo}</span> : null}
        </label>
        <label className="field">
          {t('letterField.copies')}
          <textarea
            name="copies"
            rows={4}
            value={copies}
            aria-invalid={copyErrors.length > 0}
            onChange={(event) => setCopies(event.target.value)}
          />
          {copyErrors.map(([name, message]) => (
            <span key={name} className="error field-error">
              {name}: {message}
            </span>
          ))}
        </label>
        <button type="submit">{t('letterSave')}</button>
        {failure !== null ? (
          <p className="error" role="alert">
            {failure}
          </p>
        ) : null}
        {done ? <p className="notice">{t('letterSaved')}</p> : null}
      </form>
    </section>
  );
}
