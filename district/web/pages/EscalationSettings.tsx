// The district's escalation rules and whom they notify (#/eskalasi): everyone reads them, an admin
// edits them. Each rule escalates a fault of this district after so many hours (unacknowledged, or
// still open) to one contact; a contact is e-mail addresses and webhook URLs, one per line. The
// server refuses a bad set as a whole and says why; nothing is saved then.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { EscalationRule, EscalationSettingsRequest, EscalationSettingsView, User } from '../../dash-api';
import { api, messageOf } from '../api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;

interface ContactForm {
  key: string;
  emails: string;
  webhooks: string;
}

const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function EscalationSettingsPage({ user }: { user: User }) {
  const { t, time } = useTranslator();
  const saved = useApi<EscalationSettingsView>('/api/dash/escalation/settings');
  const [rules, setRules] = useState<EscalationRule[] | null>(null);
  const [contacts, setContacts] = useState<ContactForm[]>([]);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    if (saved.data !== null) {
      setRules(saved.data.settings.rules);
      setContacts(
        Object.entries(saved.data.settings.contacts).map(([key, contact]) => ({
          key,
          emails: contact.emails.join('\n'),
          webhooks: contact.webhooks.join('\n'),
        })),
      );
    }
  }, [saved.data]);
  if (saved.data === null || rules === null) {
    return <Pending resource={saved} />;
  }
  const admin = user.role === 'admin';
  const setRule = (index: number, change: Partial<EscalationRule>) => {
    setRules(rules.map((rule, at) => (at === index ? { ...rule, ...change } : rule)));
    setMessage(null);
  };
  const setContact = (index: number, change: Partial<ContactForm>) => {
    setContacts(contacts.map((contact, at) => (at === index ? { ...contact, ...change } : contact)));
    setMessage(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: EscalationSettingsRequest = {
      rules,
      contacts: Object.fromEntries(
        contacts.map((contact) => [contact.key.trim(), { emails: lines(contact.emails), webhooks: lines(contact.webhooks) }]),
      ),
    };
    api.post<EscalationSettingsView>('/api/dash/escalation/settings', body).then(
      () => {
        setMessage({ error: false, text: t('saved') });
        saved.reload();
      },
      (error: unknown) => setMessage({ error: true, text: messageOf(error) }),
    );
  };
  const view = saved.data;
  return (
    <section className="escalation-settings">
      <h2>{t('escalationSettingsTitle')}</h2>
      <p className="muted">
        {t(`escalationSource.${view.source}`)}
        {view.updatedAt !== null ? ` (${time(view.updatedAt)}, ${view.updatedBy ?? ''})` : ''}
      </p>
      <form onSubmit={submit} noValidate>
        <fieldset disabled={!admin}>
          <legend>{t('escalationRules')}</legend>
          {rules.map((rule, index) => (
            <div key={index} className="escalation-rule">
              <label className="field">
                {t('escalationRuleId')}
                <input value={rule.id} onChange={(event) => setRule(index, { id: event.target.value })} />
              </label>
              <label className="field">
                {t('escalationCondition')}
                <select
                  value={rule.condition}
                  onChange={(event) => setRule(index, { condition: event.target.value as EscalationRule['condition'] })}
                >
                  <option value="unacknowledged">{t('escalationCondition.unacknowledged')}</option>
                  <option value="open">{t('escalationCondition.open')}</option>
                </select>
              </label>
              <label className="field">
                {t('escalationAfterHours')}
                <input
                  type="number"
                  min={1}
                  value={String(rule.afterHours)}
                  onChange={(event) => setRule(index, { afterHours: Number(event.target.value) })}
                />
              </label>
              <label className="field">
                {t('severity')}
                <select
                  value={rule.minSeverity}
                  onChange={(event) => setRule(index, { minSeverity: event.target.value as EscalationRule['minSeverity'] })}
                >
                  {SEVERITIES.map((severity) => (
                    <option key={severity} value={severity}>
                      {t.word('severity', severity)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                {t('escalationNotify')}
                <select value={rule.notify} onChange={(event) => setRule(index, { notify: event.target.value })}>
                  {contacts.map((contact) => (
                    <option key={contact.key} value={contact.key}>
                      {contact.key}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => setRules(rules.filter((_rule, at) => at !== index))}>
                {t('escalationRemove')}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              setRules([
                ...rules,
                { id: `aturan-${rules.length + 1}`, condition: 'open', afterHours: 24, minSeverity: 'minor', notify: contacts[0]?.key ?? '' },
              ])
            }
          >
            {t('escalationAddRule')}
          </button>
        </fieldset>
        <fieldset disabled={!admin}>
          <legend>{t('escalationContacts')}</legend>
          {contacts.map((contact, index) => (
            <div key={index} className="escalation-contact">
              <label className="field">
                {t('escalationContactKey')}
                <input value={contact.key} onChange={(event) => setContact(index, { key: event.target.value })} />
              </label>
              <label className="field">
                {t('escalationEmails')}
                <textarea rows={2} value={contact.emails} onChange={(event) => setContact(index, { emails: event.target.value })} />
              </label>
              <label className="field">
                {t('escalationWebhooks')}
                <textarea rows={1} value={contact.webhooks} onChange={(event) => setContact(index, { webhooks: event.target.value })} />
              </label>
              <button type="button" onClick={() => setContacts(contacts.filter((_contact, at) => at !== index))}>
                {t('escalationRemove')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setContacts([...contacts, { key: `kontak-${contacts.length + 1}`, emails: '', webhooks: '' }])}>
            {t('escalationAddContact')}
          </button>
        </fieldset>
        {admin ? <button type="submit">{t('escalationSave')}</button> : null}
        {message !== null ? (
          <p className={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : undefined}>
            {message.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}
