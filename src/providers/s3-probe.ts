import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { applyProbe, probeOutcome } from "./probe.js";
import { s3ErrorCode } from "./s3-errors.js";
import type { BucketPosture } from "./types.js";

/**
 * The anonymous probe: an unsigned ListObjectsV2 (one key) and an unsigned ranged GetObject
 * (one byte) of one key found by a signed listing. Read-only. What anonymous clients actually
 * get wins over what the configuration suggests, in both directions only when it is conclusive.
 */
export async function probeS3(
  signed: S3Client,
  anonymous: S3Client,
  bucket: string,
  p: BucketPosture,
  signal?: AbortSignal,
) {
  const outcome = (call: () => Promise<unknown>) => probeOutcome(call, s3ErrorCode, ["access-denied"], signal);
  const list = await outcome(() =>
    anonymous.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }), { abortSignal: signal }),
  );
  const first = await signed
    .send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }), { abortSignal: signal })
    .then((r) => r.Contents?.[0]?.Key)
    .catch(() => undefined);
  const read = first
    ? await outcome(async () => {
        const res = await anonymous.send(new GetObjectCommand({ Bucket: bucket, Key: first, Range: "bytes=0-0" }), {
          abortSignal: signal,
        });
        // The status is the answer. Never read the body: some servers (s3rver) ignore the range.
        (res.Body as { destroy?: () => void } | undefined)?.destroy?.();
      })
    : "unknown";
  applyProbe(p, list, read, first !== undefined);
}
