// How the district tells people: email (SMTP) and webhooks (JSON). Escalation depends on this
// interface only; tests pass a recording fake or the real one pointed at a local SMTP server.

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Notifier {
  /** Resolves once the SMTP server accepted the message; rejects otherwise. */
  sendEmail(message: EmailMessage): Promise<void>;
  /**
   * Resolves on a 2xx answer; rejects on any other answer, a timeout or a network error, and with
   * WebhookRefusedError (webhook.ts) when the host resolves to an address the server may not reach.
   */
  postWebhook(url: string, body: unknown): Promise<void>;
  close(): void;
}
