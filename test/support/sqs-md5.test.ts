import { describe, expect, it } from "vitest";
import { md5OfMessageAttributes, md5OfMessageBody } from "./sqs-md5.js";

// Reference digests published with the aws-md5-of-message-attributes package, computed by SQS.
const text = { attribName1: { DataType: "String", StringValue: "attribValue 1" } };
const customNumber = {
  customNumberTypeAttrib: {
    DataType: "Number.float",
    StringValue: "4563442423554324324264524243.32543234",
  },
};
const binary = {
  binaryAttribute: {
    DataType: "Binary",
    BinaryValue: Buffer.from("Hello binary world!").toString("base64"),
  },
};

describe("md5OfMessageAttributes", () => {
  it.each([
    ["a string attribute", text, "19e27d4e946b072f3f58da80d94fd778"],
    ["a custom number type", customNumber, "9fe1b90bbd9965bdf77bac517c7d2495"],
    ["a binary attribute", binary, "31a92b15d92f8db860eda32aceb656c3"],
    [
      "several attributes in any order",
      { ...binary, ...customNumber, ...text },
      "c932db14a896c663f83c260297d594ff",
    ],
  ])("matches SQS for %s", (_, attributes, expected) => {
    expect(md5OfMessageAttributes(attributes)).toBe(expected);
  });

  it("is undefined without attributes", () => {
    expect(md5OfMessageAttributes({})).toBeUndefined();
    expect(md5OfMessageAttributes(undefined)).toBeUndefined();
  });
});

describe("md5OfMessageBody", () => {
  it("hashes the UTF-8 body", () => {
    expect(md5OfMessageBody("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(md5OfMessageBody("ä")).toBe("8419b71c87a225a2c70b50486fbee545");
  });
});
