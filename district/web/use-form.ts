// A small form posted to the dashboard API: controlled fields, the server's refusal shown in the
// form, and the fields emptied again after a success.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, messageOf } from './api';

export interface Form<Fields extends Record<string, string>> {
  /** The props of the input or select for one field. */
  field: (name: keyof Fields & string) => {
    name: string;
    value: string;
    onChange: (event: { target: { value: string } }) => void;
  };
  submit: (event: FormEvent) => void;
  /** The server's message when the last submission was refused. */
  failure: string | null;
}

export function useForm<Fields extends Record<string, string>>(
  path: string,
  empty: Fields,
  onDone: () => void,
): Form<Fields> {
  const [form, setForm] = useState(empty);
  const [failure, setFailure] = useState<string | null>(null);
  const field = (name: keyof Fields & string) => ({
    name,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.post(path, form).then(
      () => {
        setForm(empty);
        setFailure(null);
        onDone();
      },
      (error: unknown) => setFailure(messageOf(error)),
    );
  };
  return { field, submit, failure };
}
