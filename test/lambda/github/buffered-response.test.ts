import { describe, expect, it } from "vitest";
import { BufferedResponse } from "../../../lambda/github/buffered-response.js";

const JSON_TEXT = '{"workflow_run_id":42,"note":"héllo"}';
const ORIGIN = { url: "https://api.github.com/repos/acme/api", redirected: true };

function buffered(text: string | null = JSON_TEXT, contentType = "application/json") {
  const response = new BufferedResponse(
    text === null ? null : new TextEncoder().encode(text),
    { status: 200, statusText: "OK" },
    ORIGIN,
  );
  response.headers.set("content-type", contentType);
  return response;
}

describe("BufferedResponse", () => {
  it("is a real Response with the status, headers and origin it was given", () => {
    const response = buffered();

    expect(response).toBeInstanceOf(Response);
    expect(response).toMatchObject({ status: 200, statusText: "OK", ok: true, ...ORIGIN });
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it.each([
    ["text", async (r: Response) => r.text(), JSON_TEXT],
    ["json", async (r: Response) => r.json(), JSON.parse(JSON_TEXT)],
    [
      "arrayBuffer",
      async (r: Response) => new TextDecoder().decode(await r.arrayBuffer()),
      JSON_TEXT,
    ],
    ["blob", async (r: Response) => (await r.blob()).text(), JSON_TEXT],
    [
      "bytes",
      async (r: Response) =>
        new TextDecoder().decode(await (r as unknown as { bytes(): Promise<Uint8Array> }).bytes()),
      JSON_TEXT,
    ],
    ["the body stream", async (r: Response) => new Response(r.body).text(), JSON_TEXT],
  ])("reads the body through %s", async (_, read, expected) => {
    expect(await read(buffered())).toEqual(expected);
  });

  it("gives the blob the answer's content type", async () => {
    expect((await buffered().blob()).type).toBe("application/json");
  });

  it("reads a form body through formData", async () => {
    const form = await buffered("a=1&b=two", "application/x-www-form-urlencoded").formData();

    expect(Object.fromEntries(form)).toEqual({ a: "1", b: "two" });
  });

  it.each([
    ["text", async (r: Response) => r.text()],
    ["json", async (r: Response) => r.json()],
    ["arrayBuffer", async (r: Response) => r.arrayBuffer()],
    ["the body stream", async (r: Response) => new Response(r.body).text()],
  ])("rejects a second read through %s, as fetch does", async (_, read) => {
    const response = buffered();
    await response.text();

    expect(response.bodyUsed).toBe(true);
    await expect(read(response)).rejects.toThrow(TypeError);
  });

  it("marks the body used once its stream has been read", async () => {
    const response = buffered();
    expect(response.bodyUsed).toBe(false);

    await new Response(response.body).text();

    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it("clones an unread answer into an independent copy with the same origin", async () => {
    const response = buffered();

    const copy = response.clone();

    expect(await copy.json()).toEqual(JSON.parse(JSON_TEXT));
    expect(await response.text()).toBe(JSON_TEXT);
    expect(copy).toMatchObject({ status: 200, ...ORIGIN });
  });

  it("throws when cloning an answer already read", async () => {
    const response = buffered();
    await response.text();

    expect(() => response.clone()).toThrow(TypeError);
  });

  it.each([
    ["text", async (r: Response) => r.text()],
    ["json", async (r: Response) => r.json()],
    ["the body stream", async (r: Response) => new Response(r.body).text()],
    ["a clone", async (r: Response) => r.clone().arrayBuffer()],
  ])("rejects a read through %s with the error that cut the body short", async (_, read) => {
    const cut = new TypeError("terminated");
    const response = new BufferedResponse(null, { status: 200 }, { ...ORIGIN, bodyError: cut });

    await expect(read(response)).rejects.toBe(cut);
  });

  it("has a null body when built without bytes, read as empty text", async () => {
    const response = buffered(null);

    expect(response.body).toBeNull();
    expect(await response.text()).toBe("");
  });
});
