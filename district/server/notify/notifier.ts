// The real Notifier: nodemailer over SMTP, and webhooks checked by the address they resolve to (webhook.ts).
import nodemailer from 'nodemailer';
import type { EmailMessage, Notifier } from './types';
import type { Resolver } from './webhook';
import { postWebhook, systemResolver } from './webhook';
import { parseAllowedNetwork } from './webhook-address';

export interface NotifierOptions {
  /** e.g. `smtp://user:pass@mail.example.go.id:587` or `smtps://...`; null disables email. */
  smtpUrl: string | null;
  /** The sender, e.g. `Siaga Disdukcapil <siaga@disdukcapil.example.go.id>`. */
  from: string;
  webhookTimeoutMs?: number;
  /**
   * Loopback, link-local and private addresses or networks webhooks may reach (the --escalation
   * file's `webhookAddresses`); every other such address is refused at send time.
   */
  webhookAddresses?: readonly string[];
  /** How host names become addresses (default: the system's); the connection goes to what it answers. */
  resolve?: Resolver;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const transport = options.smtpUrl === null ? null : nodemailer.createTransport(options.smtpUrl);
  const webhook = {
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    allowed: (options.webhookAddresses ?? []).map(parseAllowedNetwork),
    resolve: options.resolve ?? systemResolver,
  };
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
      await postWebhook(url, body, webhook);
    },
    close(): void {
      transport?.close();
    },
  };
}
