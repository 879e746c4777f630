// The real Notifier: nodemailer over SMTP, and fetch for webhooks.
import nodemailer from 'nodemailer';
import type { EmailMessage, Notifier } from './types';

export interface NotifierOptions {
  /** e.g. `smtp://user:pass@mail.example.go.id:587` or `smtps://...`; null disables email. */
  smtpUrl: string | null;
  /** The sender, e.g. `Siaga Disdukcapil <siaga@disdukcapil.example.go.id>`. */
  from: string;
  webhookTimeoutMs?: number;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const transport = options.smtpUrl === null ? null : nodemailer.createTransport(options.smtpUrl);
  const timeoutMs = options.webhookTimeoutMs ?? 10_000;
  return {
    async sendEmail(message: EmailMessage): Promise<void> {
      if (transport === null) {
        throw new Error('no SMTP server configured (--smtp)');
      }
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    async postWebhook(url: string, body: unknown): Promise<void> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) {
        throw new Error(`webhook ${url} answered ${response.status}`);
      }
    },
    close(): void {
      transport?.close();
    },
  };
}
