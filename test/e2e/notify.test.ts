/**
 * Notifications after a run, captured by local receivers: a JSON webhook, Slack- and
 * Teams-shaped ones, an SMTP sink (smtp-server from npm) for `mailto:`, and a webhook that
 * always fails (retried once, logged, the exit code unchanged). A canary NIR planted in keys,
 * folder names and contents is in none of what left the machine.
 */

import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spacedNir } from "../../src/demo/synthetic.js";
import { cli, folderTree } from "../helpers/cli.js";

const C = "253072B07300470";
const NIR = "185057800608491";
const FORMS = [C, C.slice(0, 13), spacedNir(C), NIR, NIR.slice(0, 13), spacedNir(NIR)];

interface Captured {
  path: string;
  body: string;
}

describe("notifications (--notify)", () => {
  let http: Server;
  let smtp: SMTPServer;
  let base = "";
  let smtpPort = 0;
  const posts: Captured[] = [];
  const mails: string[] = [];
  beforeAll(async () => {
    http = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += String(d);
      });
      req.on("end", () => {
        posts.push({ path: req.url ?? "", body });
        res.statusCode = req.url?.startsWith("/broken") ? 500 : 200;
        res.end("ok");
      });
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, done) {
        let raw = "";
        stream.on("data", (d) => {
          raw += String(d);
        });
        stream.on("end", () => {
          mails.push(raw);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => http.close(r));
    await new Promise((r) => smtp.close(() => r(undefined)));
  });

  it("posts a summary and the Markdown to each webhook and mails it, with no identifier; a failing one does not change the exit code", async () => {
    const content = `nom;nir;commentaire\nDUPONT;${NIR};VIH\nCANARY;${spacedNir(C)};diabète\n`;
    const dir = await folderTree({ [`patients_${NIR}/export_${C}.csv`]: content, [`${spacedNir(C)}.csv`]: content });
    const config = path.join(dir, "..", `notify-${path.basename(dir)}.yaml`);
    await writeFile(
      config,
      `smtp:\n  host: 127.0.0.1\n  port: ${smtpPort}\n  allowInsecure: true\n  from: reliquat@chu.example\n`,
    );
    const plain = await cli(["scan", dir, "--fail-on", "never", "-f", "json"]);
    const run = await cli([
      "scan",
      dir,
      "-c",
      config,
      "--fail-on",
      "never",
      "-f",
      "json",
      "--notify",
      `${base}/hook`,
      "--notify",
      `slack:${base}/slack`,
      "--notify",
      `teams:${base}/teams`,
      "--notify",
      `${base}/broken`,
      "--notify",
      "mailto:dpo@chu.example",
    ]);
    expect(run.code).toBe(plain.code);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /notification \(webhook 127\.0\.0\.1:\d+\) failed: 127\.0\.0\.1:\d+: HTTP 500 \(after 2 tries\)/,
    );

    const at = (p: string) => posts.filter((x) => x.path === p).map((x) => JSON.parse(x.body));
    const [json] = at("/hook");
    expect(json.text).toMatch(/^Reliquat: [A-Z]+, \d+ NIR occurrence\(s\) in 1 bucket\(s\)/);
    expect(json.summary).toMatchObject({ buckets: 1, interrupted: false });
    expect(json.summary.findings).toBeGreaterThanOrEqual(2);
    // The same count as the report of a run without notifications.
    expect(json.summary.findings).toBe(JSON.parse(plain.stdout).summary.findings);
    expect(json.markdown).toContain("## Reliquat scan");
    const [slack] = at("/slack");
    expect(Object.keys(slack)).toEqual(["text"]);
    const [teams] = at("/teams");
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0].content.type).toBe("AdaptiveCard");
    expect(at("/broken")).toHaveLength(2);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: Reliquat: /);
    expect(mails[0]).toContain("To: dpo@chu.example");

    for (const text of [...posts.map((p) => p.body), ...mails, run.stderr])
      for (const form of FORMS) expect(text.includes(form), `a notification holds "${form}"`).toBe(false);
  }, 60_000);
});
