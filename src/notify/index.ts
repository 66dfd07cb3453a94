import type { Config, FailOn } from "../config/schema.js";
import type { Report } from "../report/types.js";
import { buildMessage, type Message } from "./message.js";
import { post, webhookBody, webhookOf } from "./webhook.js";

/** A notification target that failed (twice): one line for stderr and the logs. */
export interface NotifyFailure {
  target: string;
  message: string;
}

/**
 * Sends the run's message to every `notify` entry: a webhook URL, or `mailto:a@b,c@d` through
 * the configured SMTP server. Runs after the outputs are written and never changes the run's
 * result: a failure is retried once after `retryMs`, then returned, never thrown.
 */
export async function notifyAll(
  report: Report,
  config: Pick<Config, "notify" | "smtp">,
  failOn: FailOn,
  retryMs = 2000,
): Promise<NotifyFailure[]> {
  if (config.notify.length === 0) return [];
  const message = buildMessage(report, failOn);
  const failures: NotifyFailure[] = [];
  await Promise.all(
    config.notify.map(async (spec) => {
      const { target, send } = sender(spec, message, config.smtp);
      try {
        await send().catch(async () => {
          await new Promise((r) => setTimeout(r, retryMs));
          return send();
        });
      } catch (error) {
        failures.push({ target, message: `${(error as Error).message} (after 2 tries)` });
      }
    }),
  );
  return failures;
}

function sender(spec: string, message: Message, smtp: Config["smtp"]): { target: string; send: () => Promise<void> } {
  if (spec.toLowerCase().startsWith("mailto:")) {
    const to = decodeURIComponent(spec.slice("mailto:".length).split("?")[0] ?? "");
    return { target: `mail to ${to}`, send: () => mail(to, message, smtp) };
  }
  try {
    const { kind, url } = webhookOf(spec);
    return { target: `webhook ${url.host}`, send: () => post(url, webhookBody(kind, message)) };
  } catch {
    return { target: "webhook", send: async () => Promise.reject(new Error("not a URL")) };
  }
}

async function mail(to: string, m: Message, smtp: Config["smtp"]): Promise<void> {
  if (!smtp?.host) throw new Error("no smtp.host in the config");
  // Loaded for mail only: a scan without a mailto: pays nothing for nodemailer.
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port ?? 587,
    secure: smtp.secure ?? false,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    ...(smtp.allowInsecure ? { ignoreTLS: true } : { requireTLS: !smtp.secure }),
  });
  try {
    await transport.sendMail({
      from: smtp.from ?? "reliquat@localhost",
      to,
      subject: m.title,
      text: `${m.markdown}\n\n${JSON.stringify(m.summary, null, 2)}\n`,
    });
  } catch (error) {
    throw new Error(`${smtp.host}: ${(error as { code?: string }).code ?? (error as Error).message}`);
  } finally {
    transport.close();
  }
}
