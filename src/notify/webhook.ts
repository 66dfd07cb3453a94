import type { Message } from "./message.js";

/** Where a webhook posts, by its URL: each service wants its own body. */
export type WebhookKind = "slack" | "teams" | "json";

/**
 * `slack:` and `teams:` before the URL choose the shape; else the host does: Slack incoming
 * webhooks (`hooks.slack.com`), Teams workflows (Power Automate and Logic Apps hosts); any other
 * URL gets plain JSON (`text`, `summary`, `markdown`: Mattermost and Rocket.Chat read `text`).
 */
export function webhookOf(spec: string): { kind: WebhookKind; url: URL } {
  const m = /^(slack|teams):(https?:.*)$/i.exec(spec);
  const url = new URL(m ? (m[2] as string) : spec);
  if (m) return { kind: (m[1] as string).toLowerCase() as WebhookKind, url };
  const host = url.hostname.toLowerCase();
  if (host === "hooks.slack.com") return { kind: "slack", url };
  if (/(\.logic\.azure\.com|\.powerautomate\.com|\.powerplatform\.com|\.webhook\.office\.com)$/.test(host))
    return { kind: "teams", url };
  return { kind: "json", url };
}

/** The body for `kind`. */
export function webhookBody(kind: WebhookKind, m: Message): unknown {
  if (kind === "slack") return { text: `*${m.title}*\n\n${m.markdown}` };
  if (kind === "teams")
    // Teams workflows take Adaptive Cards only (no MessageCard).
    return {
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [
              { type: "TextBlock", text: m.title, weight: "Bolder", wrap: true },
              { type: "TextBlock", text: m.markdown, wrap: true },
            ],
          },
        },
      ],
    };
  return { text: m.title, summary: m.summary, markdown: m.markdown };
}

/**
 * POSTs `body` as JSON. Rejects on a network error, a 10 s timeout or a status other than 2xx,
 * naming only the host: a webhook URL holds its secret in its path.
 */
export async function post(url: URL, body: unknown, timeoutMs = 10_000): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`${url.host}: ${cause}`);
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`${url.host}: HTTP ${res.status}`);
}
