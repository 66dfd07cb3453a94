/**
 * Buckets in other regions. No local server redirects, so a fixture stands in front of
 * s3rver: requests for one bucket signed for any region but eu-west-3 get what AWS answers,
 * 301 PermanentRedirect with `x-amz-bucket-region`. `s3://` from us-east-1 must scan it all.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { parseTarget } from "../../src/providers/index.js";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/rules/load.js";
import { scan } from "../../src/scan.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";

const server = inject("servers").s3rver;
const NIR = "185057800608491";

describe("S3 buckets in another region", () => {
  const paris = bucketName("paris");
  const virginia = bucketName("virginia");
  let fixture: Server;
  let endpoint = "";
  const redirected: string[] = [];
  beforeAll(async () => {
    const client = adminClient(server);
    await createBucketWith(client, paris, [{ key: "export.csv", body: Buffer.from(`nom;nir\nDUPONT;${NIR}\n`) }]);
    await createBucketWith(client, virginia, [{ key: "a.csv", body: Buffer.from(`nom;nir\nMARTIN;${NIR}\n`) }]);
    client.destroy();
    const upstream = new URL(server.endpoint);
    fixture = createServer((req, res) => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
      if (req.url?.startsWith(`/${paris}`) && region !== "eu-west-3") {
        redirected.push(`${req.method} ${region}`);
        res.writeHead(301, { "x-amz-bucket-region": "eu-west-3", "content-type": "application/xml" });
        res.end(
          req.method === "HEAD"
            ? undefined
            : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Bucket>${paris}</Bucket><Endpoint>${paris}.s3.eu-west-3.amazonaws.com</Endpoint></Error>`,
        );
        return;
      }
      const up = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((r) => fixture.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => fixture.close(r)));

  it("follows the 301 with the bucket's region and scans it like the others", async () => {
    const report = await scan({
      targets: [parseTarget(`s3://${paris}`), parseTarget(`s3://${virginia}`)],
      config: { ...parseConfig({}, "regions"), failOn: "never" },
      rules: await loadRules(),
      ruleDirs: [BUILTIN_RULES_DIR],
      settings: {
        s3: {
          endpoint,
          region: "us-east-1",
          credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
        },
      },
    });
    expect(redirected.length).toBeGreaterThan(0);
    expect(report.errors).toEqual([]);
    const byName = Object.fromEntries(report.buckets.map((b) => [b.name, b]));
    for (const name of [paris, virginia]) {
      expect(byName[name]?.coverage).toMatchObject({ listed: 1, scanned: 1, complete: true });
      expect(byName[name]?.totals.distinctPersons).toBe(1);
    }
  });
});
