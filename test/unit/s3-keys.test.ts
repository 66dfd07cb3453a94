import { describe, expect, it } from "vitest";
import { decodeS3Key } from "../../src/providers/s3-client.js";

describe("S3 keys listed with EncodingType=url", () => {
  // As AWS answers (measured on a real bucket, brekkylab/backlot#178): form encoding, `+` for a space.
  it.each([
    ["a+b.txt", "a b.txt"],
    ["a%2Bb.txt", "a+b.txt"],
    ["100%25.csv", "100%.csv"],
    ["%ED%95%9C%EA%B8%80/x.txt", "한글/x.txt"],
    ["a%0Db.csv", "a\rb.csv"],
    ["run+books/x%01.txt", "run books/x\u0001.txt"],
  ])("decodes %j to %j", (listed, key) => {
    expect(decodeS3Key(listed)).toBe(key);
  });

  it("keeps a key that is not valid percent-encoding as it came", () => {
    expect(decodeS3Key("50%off")).toBe("50%off");
  });
});
