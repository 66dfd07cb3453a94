/**
 * FIXTURE test: the account-level Block Public Access lives in S3 Control, which no local S3
 * server implements. A small HTTP server answers STS GetCallerIdentity and S3 Control
 * GetPublicAccessBlock exactly as the AWS API references document them (XML bodies, the
 * NoSuchPublicAccessBlockConfiguration error); Ceph RGW serves the buckets when installed.
 */
import dns from "node:dns";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PutBucketAclCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createS3Provider } from "../../src/providers/s3.js";
import { readAccountBlock } from "../../src/providers/s3-account.js";
import { SETUP_HINT } from "../global-setup.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings } from "../helpers/scan.js";

let blocked = true;
const requests: string[] = [];
function handle(req: IncomingMessage, res: ServerResponse) {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    requests.push(`${req.method} ${req.url} ${req.headers["x-amz-account-id"] ?? ""}`);
    res.setHeader("content-type", "text/xml");
    if (req.method === "POST" && body.includes("Action=GetCallerIdentity")) {
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/reliquat</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    } else if (req.url?.startsWith("/v20180820/configuration/publicAccessBlock") && blocked) {
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
      );
    } else {
      res.statusCode = 404;
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message><RequestId>r2</RequestId></Error>`,
      );
    }
  });
}

const server = createServer(handle);
let endpoint = "";
// S3 Control sends to ACCOUNT.host: resolve every *.localhost name to the fixture, as AWS's DNS would.
const lookup = dns.lookup;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://localhost:${(server.address() as AddressInfo).port}`;
  Object.assign(dns, {
    lookup: (host: string, ...rest: unknown[]) =>
      (lookup as (...a: unknown[]) => void)(/(^|\.)localhost$/.test(host) ? "127.0.0.1" : host, ...rest),
  });
});
afterAll(async () => {
  Object.assign(dns, { lookup });
  await new Promise<void>((r) => server.close(() => r()));
});
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

describe("S3 account-level Block Public Access against an STS / S3 Control fixture (fixture test)", () => {
  it("reads the account id, then the account's settings", async () => {
    blocked = true;
    const block = await readAccountBlock({ credentials, accountEndpoints: { sts: endpoint, control: endpoint } });
    expect(block).toEqual({
      account: "123456789012",
      settings: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    expect(requests.some((r) => r.startsWith("GET /v20180820/configuration/publicAccessBlock 123456789012"))).toBe(
      true,
    );
  });

  it("reads 'not set' as all off, and never tries on an S3-compatible host", async () => {
    blocked = false;
    const none = await readAccountBlock({ credentials, accountEndpoints: { sts: endpoint, control: endpoint } });
    expect(none).toEqual({ account: "123456789012", settings: {} });
    expect(await readAccountBlock({ endpoint: "http://127.0.0.1:9", credentials })).toEqual({
      unknown: "not read: S3-compatible host (no S3 Control API)",
    });
  });

  const { ceph } = inject("servers");
  it.skipIf(!ceph)(
    `makes a public bucket ACL ineffective in the posture (Ceph RGW)${ceph ? "" : ` [SKIPPED: install with ${SETUP_HINT}]`}`,
    async () => {
      if (!ceph) return;
      blocked = true;
      const admin = adminClient(ceph);
      const name = bucketName("acctblock");
      await createBucketWith(admin, name, []);
      await admin.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
      const provider = createS3Provider(s3Settings(ceph, { accountEndpoints: { sts: endpoint, control: endpoint } }));
      const p = await provider.describeBucket({ provider: "s3", name, url: `s3://${name}` });
      expect(p.notes).toContain(
        "Block Public Access (account 123456789012): BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
      );
      expect(p.notes).toContain("Block Public Access ignores these public ACL grants");
    },
  );
});
